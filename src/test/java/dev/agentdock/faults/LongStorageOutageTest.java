package dev.agentdock.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentdock.run.ActiveRuns;
import dev.agentdock.run.Fresh;
import dev.agentdock.run.SseChatClient;
import dev.agentdock.session.RunStatus;
import dev.agentdock.session.Step;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL down for longer than the run's last writes are retried ({@code finish-retry-for}): the instance gives the
 * run up and the sweep ends it once the database is back, so it does not stay {@code running} and its session takes
 * new turns.
 */
@QuarkusTest
@TestProfile(LongStorageOutageTest.ShortRetries.class)
@QuarkusTestResource(value = OwnPostgres.class, restrictToAnnotatedClass = true)
class LongStorageOutageTest {

    public static class ShortRetries implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("agentdock.run.finish-retry-for", "2s", "agentdock.run.stale-after", "3s",
                    "agentdock.run.sweep-interval", "1s", "agentdock.run.sweep-delay", "0s",
                    "agentdock.run.heartbeat-interval", "500ms");
        }
    }

    @Inject
    ActiveRuns active;

    @Test
    void aRunWhoseEndCouldNotBeWrittenWithinTheRetryBoundIsSweptOnceTheDatabaseIsBack() throws Exception {
        SseChatClient sse = new SseChatClient();
        LongTurn started = LongTurn.start(sse);
        String user = started.user();
        String session = started.session();
        UUID runId = started.runId();
        CompletableFuture<List<SseChatClient.Frame>> turn = started.frames();

        OwnPostgres.cluster.stop();
        List<SseChatClient.Frame> frames = turn.get(30, TimeUnit.SECONDS);
        assertThat(frames.getLast().type()).isEqualTo("run_failed");
        assertThat(active.find(runId)).as("off the heartbeat").isEmpty();
        Thread.sleep(5_000); // well past finish-retry-for (2 s): the instance has given the run's last writes up
        OwnPostgres.cluster.start();
        long startedAt = System.nanoTime();

        await().atMost(Duration.ofSeconds(30)).until(() -> Fresh.run(runId).status != RunStatus.RUNNING);
        long sweptMs = (System.nanoTime() - startedAt) / 1_000_000;
        assertThat(Fresh.run(runId).status).as("ended by the sweep, not by its own (abandoned) finish")
                .isEqualTo(RunStatus.INTERRUPTED);
        System.out.printf("[fault] postgres down past finish-retry-for: the run was swept %d ms after the database "
                + "was back%n", sweptMs);
        List<Step> steps = Fresh.steps(UUID.fromString(session));
        assertThat(steps).extracting(s -> s.sequence).containsExactlyElementsOf(
                IntStream.rangeClosed(1, steps.size()).boxed().toList());
        List<SseChatClient.Frame> next = sse.chat("assistant", user, Map.of("session_id", session, "message", "again"));
        assertThat(next.getLast().type()).isEqualTo("run_completed");
    }
}
