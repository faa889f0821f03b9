package dev.agentdock.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Started with Redis on a closed port: the service is up, and its log says once which Redis and how to start it. */
@QuarkusTest
@TestProfile(RedisMissingAtStartTest.RedisOnClosedPortLoggedToFile.class)
class RedisMissingAtStartTest {

    static final Path LOG = Path.of("target", "redis-missing-at-start.log");

    public static class RedisOnClosedPortLoggedToFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Files.deleteIfExists(LOG);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:1", "quarkus.redis.timeout", "2s",
                    "quarkus.log.file.enabled", "true", "quarkus.log.file.path", LOG.toString());
        }
    }

    @Test
    void oneWarningLineSaysWhereItLookedAndTheDebianCommand() throws IOException {
        await().atMost(Duration.ofSeconds(15)).until(() -> Files.exists(LOG)
                && Files.readString(LOG).contains("Redis is not reachable"));
        String warning = Files.readAllLines(LOG).stream().filter(line -> line.contains("Redis is not reachable"))
                .reduce((a, b) -> a + "\n" + b).orElseThrow();
        assertThat(warning).doesNotContain("\n")
                .contains("WARN")
                .contains("Redis is not reachable at redis://127.0.0.1:1 (")
                .contains("redis-server --daemonize yes --bind 127.0.0.1 --port 1 ");
    }
}
