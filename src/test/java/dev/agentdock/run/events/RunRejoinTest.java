package dev.agentdock.run.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentdock.RedisPeer;
import dev.agentdock.run.SseChatClient;
import dev.agentdock.run.SseChatClient.Frame;
import dev.agentdock.run.Stored;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RunRejoinTest {

    private final SseChatClient sse = new SseChatClient();

    private static List<String> ids(List<Frame> frames) {
        return frames.stream().map(Frame::id).toList();
    }

    @Test
    void aSecondConnectionRejoiningMidStreamGetsExactlyTheRemainingEvents() throws Exception {
        String user = "user-" + UUID.randomUUID();
        String runId = UUID.randomUUID().toString();
        List<Frame> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<List<Frame>> first = CompletableFuture.supplyAsync(() -> sse.chat("assistant", user,
                Map.of("message", "stream [[slow:15]] [[tokens:80]]", "run_id", runId), null, null, seen::add));
        await().pollInSameThread().atMost(Duration.ofSeconds(20)).until(() -> seen.size() >= 10);

        List<Frame> rejoined = sse.rejoin(runId, user, runId + ":7");
        List<Frame> all = first.get(30, TimeUnit.SECONDS);

        assertThat(all.getLast().type()).isEqualTo("run_completed");
        assertThat(ids(rejoined)).isEqualTo(ids(all.subList(7, all.size())));
        assertThat(rejoined.stream().map(f -> f.event().toString()).toList())
                .isEqualTo(all.subList(7, all.size()).stream().map(f -> f.event().toString()).toList());
    }

    @Test
    void aRunsEventsTravelThroughTheRedisRelayAndExpireSoonAfterItsEnd() {
        String user = "user-" + UUID.randomUUID();
        List<Frame> all = sse.chat("assistant", user, Map.of("message", "relay me [[tokens:20]]"));
        String runId = all.getFirst().event().get("run_id").asText();
        String key = RunEventRelay.key(UUID.fromString(runId));
        // what another instance would read: every event of the live stream, numbered alike (stream ids: seq-1)
        String terminal = all.getLast().event().get("event_seq").asText() + "-1";
        await().pollInSameThread().atMost(Duration.ofSeconds(10))
                .until(() -> !RedisPeer.xrange(key, terminal, terminal).isEmpty());
        assertThat(RedisPeer.xrange(key, "-", "+")).extracting(entry -> runId + ":" + entry.getFirst().replaceFirst("-1$", ""))
                .isEqualTo(ids(all));
        // an ended run's relayed events expire soon (relay-ttl-after-end, 2 min by default): the database has the run
        long ttl = (Long) RedisPeer.command("TTL", key);
        assertThat(ttl).isBetween(60L, 120L);
        Stored.awaitNoRunExecuting();
        List<Frame> rejoined = sse.rejoin(runId, user, runId + ":3");
        assertThat(rejoined.getLast().id()).isEqualTo(all.getLast().id());
    }

    @Test
    void aFinishedRunIsReplayedFromPostgresOnceRedisForgotIt() {
        String user = "user-" + UUID.randomUUID();
        List<Frame> all = sse.chat("assistant", user, Map.of("message", "remember [[tool:echo {\"text\":\"kept\"}]]"));
        String runId = all.getFirst().event().get("run_id").asText();
        String key = RunEventRelay.key(UUID.fromString(runId));
        // the relay's last batch may still be on the wire when the client has its terminal event (stream ids: seq-1)
        String terminal = all.getLast().event().get("event_seq").asText() + "-1";
        await().pollInSameThread().atMost(Duration.ofSeconds(10))
                .until(() -> !RedisPeer.xrange(key, terminal, terminal).isEmpty());
        RedisPeer.del(key);

        List<Frame> replay = sse.rejoin(runId, user, null);
        assertThat(replay.getFirst().type()).isEqualTo("run_started");
        assertThat(replay.getLast().type()).isEqualTo("run_completed");
        assertThat(replay.getLast().event().get("replay").asBoolean()).isTrue();
        assertThat(replay.stream().filter(f -> f.type().equals("step_completed")))
                .extracting(f -> f.event().at("/step/role").asText()).containsExactly("assistant", "tool", "assistant");
        assertThat(replay.stream().filter(f -> f.type().equals("tool_call_completed"))).hasSize(1);
        // numbered as the live stream was (deltas merged, each step's text in one)
        assertThat(replay.getLast().id()).isEqualTo(all.getLast().id());
        assertThat(replay.stream().filter(f -> !f.type().equals("step_delta")).map(Frame::id).toList())
                .isEqualTo(all.stream().filter(f -> !f.type().equals("step_delta")).map(Frame::id).toList());
    }
}
