package dev.agentdock.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentdock.run.SseChatClient.Frame;
import dev.agentdock.session.AgentRun;
import dev.agentdock.session.RunRepository;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
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

    @Inject
    RunFollower follower;
    @Inject
    RunRepository runs;
    @Inject
    RedisDataSource redis;
    @Inject
    RunEventRelay relay;

    private static List<String> ids(List<Frame> frames) {
        return frames.stream().map(Frame::id).toList();
    }

    @Test
    void aSecondConnectionRejoiningMidStreamGetsExactlyTheRemainingEvents() throws Exception {
        String user = "user-" + UUID.randomUUID();
        String runId = UUID.randomUUID().toString();
        List<Frame> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<List<Frame>> first = CompletableFuture.supplyAsync(() -> SseChatClient.frames(
                sse.api().chat("assistant", user, null, null,
                                SseChatClient.body(Map.of("message", "stream [[slow:15]] [[tokens:80]]", "run_id", runId)))
                        .invoke(e -> seen.add(SseChatClient.decode(e)))));
        await().pollInSameThread().atMost(Duration.ofSeconds(20)).until(() -> seen.size() >= 10);

        List<Frame> rejoined = SseChatClient.frames(sse.api().rejoin(runId, user, runId + ":7"));
        List<Frame> all = first.get(30, TimeUnit.SECONDS);

        assertThat(all.getLast().type()).isEqualTo("run_completed");
        assertThat(ids(rejoined)).isEqualTo(ids(all.subList(7, all.size())));
        assertThat(rejoined.stream().map(f -> f.event().toString()).toList())
                .isEqualTo(all.subList(7, all.size()).stream().map(f -> f.event().toString()).toList());
    }

    @Test
    void aRunFollowedFromAnotherInstanceComesThroughTheRedisRelay() {
        String user = "user-" + UUID.randomUUID();
        List<Frame> all = sse.chat("assistant", user, Map.of("message", "relay me [[tokens:20]]"));
        AgentRun run = Fresh.run(UUID.fromString(all.getFirst().event().get("run_id").asText()));

        // the run no longer executes here, so the follower reads what the owning instance relayed
        List<RunEvent> relayed = follower.follow(run, 3).collect().asList().await().atMost(Duration.ofSeconds(10));
        assertThat(relayed).extracting(RunEvent::sseId).isEqualTo(ids(all.subList(3, all.size())));
        assertThat(relayed.getLast().type()).isEqualTo(RunEventType.RUN_COMPLETED);
    }

    @Test
    void aFinishedRunIsReplayedFromPostgresOnceRedisForgotIt() {
        String user = "user-" + UUID.randomUUID();
        List<Frame> all = sse.chat("assistant", user, Map.of("message", "remember [[tool:echo {\"text\":\"kept\"}]]"));
        String runId = all.getFirst().event().get("run_id").asText();
        // the relay's last batch may still be on the wire when the client has its terminal event
        await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() -> relay.readAfter(UUID.fromString(runId), 0, 1000)
                .stream().anyMatch(e -> e.type() == RunEventType.RUN_COMPLETED));
        redis.key().del(RunEventRelay.key(UUID.fromString(runId)));

        List<Frame> replay = SseChatClient.frames(sse.api().rejoin(runId, user, null));
        assertThat(replay.getFirst().type()).isEqualTo("run_started");
        assertThat(replay.getLast().type()).isEqualTo("run_completed");
        assertThat(replay.getLast().event().get("replay").asBoolean()).isTrue();
        assertThat(replay.stream().filter(f -> f.type().equals("step_completed")))
                .extracting(f -> f.event().at("/step/role").asText()).containsExactly("assistant", "tool", "assistant");
        assertThat(replay.stream().filter(f -> f.type().equals("tool_call_completed"))).hasSize(1);
        for (int i = 0; i < replay.size(); i++) {
            assertThat(replay.get(i).id()).isEqualTo(runId + ":" + (i + 1));
        }
    }
}
