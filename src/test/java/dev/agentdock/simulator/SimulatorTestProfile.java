package dev.agentdock.simulator;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Shared by all simulator tests (one Quarkus boot for all of them).
 * <ul>
 * <li>A random HTTP port: other worktrees run their test suites on this machine at the same time, and it also
 * exercises {@link SimulatorEndpoint} resolving a port that is only known once the server is bound.</li>
 * <li>Applied migrations this branch does not have yet are tolerated: the local test database is shared with
 * branches that are ahead in the schema. The simulator itself never touches the database.</li>
 * </ul>
 */
public class SimulatorTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.http.test-port", "0",
                "quarkus.flyway.ignore-migration-patterns", "*:missing,*:future");
    }
}
