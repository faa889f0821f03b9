package dev.agentdock.faults;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points the application under test at a PostgreSQL cluster of its own, which the test may stop and start. */
public class OwnPostgres implements QuarkusTestResourceLifecycleManager {

    static volatile PostgresCluster cluster;

    @Override
    public Map<String, String> start() {
        try {
            cluster = PostgresCluster.create();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Map.of("quarkus.datasource.jdbc.url", cluster.jdbcUrl(), "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "");
    }

    @Override
    public void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }
}
