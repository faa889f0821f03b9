package dev.agentdock.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The start-up lines for a missing PostgreSQL or Redis, from the real driver's errors; never a credential. */
class BackingServicesTest {

    @Test
    void aClosedPortIsReportedAsUnreachableWithTheDebianStartCommand() {
        String url = "jdbc:postgresql://127.0.0.1:1/agentdock?connectTimeout=2";
        SQLException refused = catchThrowableOfType(SQLException.class, () -> connect(url));
        assertThat(PostgresStartupCheck.describe(url, refused))
                .startsWith("PostgreSQL is not reachable at jdbc:postgresql://127.0.0.1:1/agentdock (Connection refused)")
                .contains("pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start")
                .doesNotContain("\n");
    }

    @Test
    void aMissingDatabaseOnARunningServerSaysHowToCreateIt() {
        String database = "absent_" + UUID.randomUUID().toString().replace("-", "");
        String url = "jdbc:postgresql://127.0.0.1:5432/" + database;
        SQLException missing = catchThrowableOfType(SQLException.class, () -> connect(url));
        assertThat(PostgresStartupCheck.describe(url, missing))
                .startsWith("PostgreSQL at jdbc:postgresql://127.0.0.1:5432/" + database + " refused the service")
                .contains("does not exist")
                .contains("runuser -u postgres -- createdb " + database)
                .doesNotContain("\n");
    }

    @Test
    void whereLeavesOutUserInfoAndQueryParameters() {
        assertThat(BackingServices.where("jdbc:postgresql://alice:s3cret@db.internal:6543/app?password=hunter2&ssl=true"))
                .isEqualTo("jdbc:postgresql://db.internal:6543/app");
        assertThat(BackingServices.where("rediss://default:s3cret@cache.internal:6380/0"))
                .isEqualTo("rediss://cache.internal:6380/0");
        assertThat(BackingServices.where("not a url at all")).isEqualTo("(an unparsable URL)");
    }

    @Test
    void theRedisLineNamesThePortItLookedOnAndNoPassword() {
        assertThat(BackingServices.redisUnreachable("redis://:s3cret@127.0.0.1:6391", "Connection refused"))
                .startsWith("Redis is not reachable at redis://127.0.0.1:6391 (Connection refused)")
                .contains("redis-server --daemonize yes --bind 127.0.0.1 --port 6391")
                .doesNotContain("s3cret");
        assertThat(BackingServices.redisUnreachable("redis://localhost", "x")).contains("--port 6379");
    }

    private static void connect(String url) throws SQLException {
        Properties login = new Properties();
        login.setProperty("user", System.getenv().getOrDefault("DB_USER", "postgres"));
        DriverManager.getConnection(url, login).close();
    }
}
