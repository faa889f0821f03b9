package dev.agentdock.run.stop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentdock.run.Fresh;
import dev.agentdock.session.AgentRun;
import dev.agentdock.session.RunRepository;
import dev.agentdock.session.RunStatus;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

@QuarkusTest
class StaleRunSweepTest {

    @Inject
    RunKeeper keeper;
    @Inject
    RunRepository runs;

    private UUID runningRun(OffsetDateTime heartbeat) {
        return RunningRows.insert("crashed-instance", heartbeat);
    }

    @Test
    void aRunWhoseHeartbeatIsStaleIsMarkedInterruptedAndAFreshOneIsLeftAlone() {
        UUID stale = runningRun(OffsetDateTime.now(ZoneOffset.UTC).minusHours(1));
        UUID fresh = runningRun(OffsetDateTime.now(ZoneOffset.UTC));

        keeper.sweepStale();

        AgentRun swept = Fresh.run(stale);
        assertThat(swept.status).isEqualTo(RunStatus.INTERRUPTED);
        assertThat(swept.error).contains("heartbeat");
        assertThat(swept.completedAt).isNotNull();
        assertThat(Fresh.run(fresh).status).isEqualTo(RunStatus.RUNNING);
        QuarkusTransaction.requiringNew().run(() -> runs.update("status = ?1 where id = ?2", RunStatus.CANCELLED, fresh));
    }

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URI base;

    @Test
    void aSweptRunTellsItsRelayAndItsSessionSocketsAndItsUsersSocketsThatItEnded() {
        UUID stale = runningRun(OffsetDateTime.now(ZoneOffset.UTC).minusHours(1));
        AgentRun run = Fresh.run(stale);
        String key = "agentdock:run:" + stale + ":events";
        // its instance had relayed four events before it died
        dev.agentdock.RedisPeer.command("XADD", key, "4-1", "e", "{}");
        try (dev.agentdock.SocketProbe socket = dev.agentdock.SocketProbe.open(base, "/ws/sessions/" + run.sessionId,
                "user-" + run.sessionId);
             dev.agentdock.SocketProbe me = dev.agentdock.SocketProbe.open(base, "/ws/me", "user-" + run.sessionId)) {
            keeper.sweepStale();

            // issue 15: after a crash /ws/me showed run_started and never an end
            me.awaitType("run_cancelled");
            assertThat(me.ofType("run_cancelled").getFirst().at("/data/run_id").asText()).isEqualTo(stale.toString());

            socket.awaitType("run_cancelled");
            var frame = socket.ofType("run_cancelled").getFirst();
            assertThat(frame.at("/data/run_id").asText()).isEqualTo(stale.toString());
            assertThat(frame.at("/data/status").asText()).isEqualTo("interrupted");
            assertThat(frame.at("/data/event_seq").asLong()).isEqualTo(5);
            List<List<String>> relayed = dev.agentdock.RedisPeer.xrange(key, "-", "+");
            assertThat(relayed).hasSize(2);
            assertThat(relayed.getLast().getFirst()).isEqualTo("5-1");
            assertThat(relayed.getLast().get(2)).contains("run_cancelled").contains("heartbeat stale");
        }
    }

    @Test
    void concurrentSweepersClaimEachStaleRunExactlyOnce() throws Exception {
        List<UUID> stale = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            stale.add(runningRun(OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(10)));
        }
        CompletableFuture<List<UUID>> a = CompletableFuture.supplyAsync(keeper::sweepStale);
        CompletableFuture<List<UUID>> b = CompletableFuture.supplyAsync(keeper::sweepStale);
        List<UUID> claimed = new ArrayList<>(a.get());
        claimed.addAll(b.get());

        assertThat(claimed).containsAll(stale);
        assertThat(claimed.stream().filter(stale::contains)).doesNotHaveDuplicates().hasSize(stale.size());
        assertThat(stale).allSatisfy(id -> assertThat(Fresh.run(id).status).isEqualTo(RunStatus.INTERRUPTED));
    }
}
