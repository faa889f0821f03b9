package dev.agentdock.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The whole application, started with PostgreSQL on a closed port: it exits 1 with one line, no stack trace. */
@QuarkusMainTest
@TestProfile(MissingBackingServiceBootTest.PostgresOnClosedPort.class)
class MissingBackingServiceBootTest {

    public static class PostgresOnClosedPort implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:1/agentdock",
                    "agentdock.test.exit-after-start", "true");
        }
    }

    @Test
    @Launch(value = {}, exitCode = 1)
    void startStopsWithOneLineNamingPostgresWhereItLookedAndHowToStartIt(LaunchResult result) {
        String output = result.getOutput() + "\n" + result.getErrorOutput();
        assertThat(output).containsOnlyOnce("PostgreSQL is not reachable at jdbc:postgresql://127.0.0.1:1/agentdock")
                .contains("pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start")
                .doesNotContain("\tat ")
                .doesNotContain("Exception")
                .doesNotContain("Failed to start application");
    }
}
