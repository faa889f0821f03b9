package dev.agentdock.run.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentdock.faults.OwnRedis;
import dev.agentdock.run.SseChatClient;
import dev.agentdock.run.SseChatClient.Frame;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Following a run that executes elsewhere (the relay path another instance takes) while a real redis-server of
 * this test's own is killed mid-run: the follower is served from PostgreSQL (stored steps, no made-up end while the
 * run is live), then gets the run's one real end; through a restart (Redis back, empty) nothing is skipped.
 */
@QuarkusTest
@QuarkusTestResource(value = OwnRedis.class, restrictToAnnotatedClass = true)
class RejoinWhileRedisDownTest {

    /** A tool call, then text long enough (2 s) to outlive the outage. */
    private static final String LONG_RUN = "look it up [[slow:25]] [[tokens:80]] [[tool:echo {\"text\":\"kept\"}]]";

    @Inject
    RunFollower follower;

    @Inject
    dev.agentdock.session.ConversationStore store;

    @Inject
    io.micrometer.core.instrument.MeterRegistry meters;

    private final SseChatClient sse = new SseChatClient();

    @AfterEach
    void redisBack() throws Exception {
        try (java.net.Socket ignored = new java.net.Socket("127.0.0.1", OwnRedis.server().port)) {
            // up
        } catch (java.io.IOException down) {
            OwnRedis.server().startAgain();
        }
    }

    @Test
    void followersOfALiveRunWhileRedisIsDownGetEveryStepFromPostgresAndOneEnd() throws Exception {
        String user = "user-" + UUID.randomUUID();
        UUID runId = UUID.randomUUID();
        List<Frame> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<List<Frame>> live = CompletableFuture.supplyAsync(() -> sse.chat("assistant", user,
                Map.of("run_id", runId.toString(), "message", LONG_RUN), null, null, seen::add));
        await().atMost(Duration.ofSeconds(20)).until(() -> deltas(seen) >= 5);
        Follower attached = follow(runId, 0); // on the relay when Redis goes away
        await().atMost(Duration.ofSeconds(10)).until(() -> attached.events.size() >= 5);

        OwnRedis.server().kill();
        long resumeAfter = seen.get(seen.size() - 1).event().get("event_seq").asLong();
        Follower rejoined = follow(runId, resumeAfter); // a re-join once Redis is down
        Thread.sleep(1_500);
        assertThat(live).as("the run outlives the outage").isNotDone();
        assertThat(attached.done).as("no end while the run is live").isNotDone();
        assertThat(rejoined.done).as("no end while the run is live").isNotDone();

        List<Frame> all = live.get(60, TimeUnit.SECONDS);
        attached.done.get(20, TimeUnit.SECONDS);
        rejoined.done.get(20, TimeUnit.SECONDS);
        assertThat(all.getLast().type()).isEqualTo("run_completed");
        assertThat(all).extracting(Frame::type).contains("tool_call_completed");
        assertThat(textBySequence(all)).isNotEmpty();
        for (Follower f : List.of(attached, rejoined)) {
            assertThat(f.terminals()).as("exactly one end").hasSize(1);
            assertThat(f.events.getLast().type()).isEqualTo(RunEventType.RUN_COMPLETED);
            assertThat(f.events.getLast().eventSeq()).isEqualTo(all.getLast().event().get("event_seq").asLong());
            assertThat(f.events).extracting(RunEvent::eventSeq).isSorted().doesNotHaveDuplicates();
        }
        assertThat(attached.textBySequence()).as("every step's text").isEqualTo(textBySequence(all));
        assertThat(rejoined.deltasById()).as("every delta after the id, id for id")
                .isEqualTo(deltasById(all, resumeAfter));
    }

    @Test
    void followersThroughARedisRestartGetEveryEventOnceThoughTheRelayForgotSome() throws Exception {
        String user = "user-" + UUID.randomUUID();
        UUID runId = UUID.randomUUID();
        List<Frame> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<List<Frame>> live = CompletableFuture.supplyAsync(() -> sse.chat("assistant", user,
                Map.of("run_id", runId.toString(), "message", LONG_RUN), null, null, seen::add));
        await().atMost(Duration.ofSeconds(20)).until(() -> deltas(seen) >= 5);
        Follower attached = follow(runId, 0); // on the relay through the restart
        await().atMost(Duration.ofSeconds(10)).until(() -> attached.events.size() >= 5);

        OwnRedis.server().kill();
        long resumeAfter = seen.get(seen.size() - 1).event().get("event_seq").asLong();
        Thread.sleep(700);
        OwnRedis.server().startAgain(); // empty: what was relayed before, and while it was down, is gone
        await().atMost(Duration.ofSeconds(10)).until(() -> deltas(seen) >= resumeAfter + 10);
        // a re-join after the restart: the relay holds only what came after it, PostgreSQL the rest
        Follower rejoined = follow(runId, resumeAfter);

        List<Frame> all = live.get(60, TimeUnit.SECONDS);
        attached.done.get(20, TimeUnit.SECONDS);
        rejoined.done.get(20, TimeUnit.SECONDS);
        assertThat(all.getLast().type()).isEqualTo("run_completed");
        for (Follower f : List.of(attached, rejoined)) {
            assertThat(f.terminals()).as("exactly one end").hasSize(1);
            assertThat(f.events.getLast().eventSeq()).isEqualTo(all.getLast().event().get("event_seq").asLong());
            assertThat(f.events).extracting(RunEvent::eventSeq).isSorted().doesNotHaveDuplicates();
        }
        assertThat(attached.textBySequence()).as("every step's text").isEqualTo(textBySequence(all));
        assertThat(rejoined.deltasById()).as("every delta after the id, id for id")
                .isEqualTo(deltasById(all, resumeAfter));
    }

    @Test
    void aQuietLiveRunCostsItsFollowersNoStepReadsUntilItsStepsChange() throws Exception {
        // a run live "on another instance" as PostgreSQL shows it: running, beating, one step and then nothing
        String user = "user-" + UUID.randomUUID();
        UUID runId = UUID.randomUUID();
        var begun = store.beginRun(null, user, "assistant", runId, "an-instance-elsewhere", "hello");
        OwnRedis.server().kill(); // the relay cannot serve: the follower polls PostgreSQL
        double reads0 = counter("agentdock.run.follow.step-reads");
        Follower f = follow(runId, 0);
        await().atMost(Duration.ofSeconds(20)).until(() -> counter("agentdock.run.follow.step-reads") >= reads0 + 1);
        double polls = counter("agentdock.run.follow.database-polls");
        await().atMost(Duration.ofSeconds(20)).until(() -> counter("agentdock.run.follow.database-polls") >= polls + 5);
        assertThat(counter("agentdock.run.follow.step-reads")).as("five polls of a quiet run read no steps")
                .isEqualTo(reads0 + 1);
        assertThat(f.done).isNotDone();

        // a step is stored: the next poll reads the steps once and sends what is new
        dev.agentdock.session.Step step = new dev.agentdock.session.Step();
        step.sessionId = begun.session().id;
        step.runId = runId;
        step.sequence = begun.userStep().sequence + 1;
        step.role = dev.agentdock.session.StepRole.ASSISTANT;
        step.content = "stored meanwhile";
        step.eventSeq = 2L;
        step.createdAt = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC);
        store.insertStep(step);
        await().atMost(Duration.ofSeconds(20)).until(() -> f.events.stream().anyMatch(e -> e.type() == RunEventType.STEP_STARTED));
        double reads1 = counter("agentdock.run.follow.step-reads");
        assertThat(reads1).isEqualTo(reads0 + 2);
        double polls1 = counter("agentdock.run.follow.database-polls");
        await().atMost(Duration.ofSeconds(20)).until(() -> counter("agentdock.run.follow.database-polls") >= polls1 + 3);
        assertThat(counter("agentdock.run.follow.step-reads")).isEqualTo(reads1);

        store.finishRun(runId, dev.agentdock.session.RunStatus.COMPLETED, null,
                new dev.agentdock.session.ConversationStore.RunTotals(0, 0, 1, step.sequence, step.id, 3, null));
        f.done.get(20, TimeUnit.SECONDS);
        assertThat(f.terminals()).hasSize(1);
        assertThat(f.events.getLast().type()).isEqualTo(RunEventType.RUN_COMPLETED);
        assertThat(f.events).extracting(RunEvent::eventSeq).isSorted().doesNotHaveDuplicates();
    }

    private double counter(String name) {
        return meters.counter(name).count();
    }

    private Follower follow(UUID runId, long afterSeq) {
        Follower f = new Follower();
        follower.fromElsewhere(runId, afterSeq).subscribe().with(f.events::add, f.done::completeExceptionally,
                () -> f.done.complete(null));
        return f;
    }

    private static final class Follower {
        final List<RunEvent> events = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> done = new CompletableFuture<>();

        List<RunEvent> terminals() {
            return events.stream().filter(e -> e.type().isTerminal()).toList();
        }

        Map<Integer, String> textBySequence() {
            Map<Integer, String> text = new TreeMap<>();
            for (RunEvent e : events) {
                String content = content(e);
                if (content != null) {
                    text.merge(((RunEvent.StepDelta) e).sequence(), content, String::concat);
                }
            }
            return text;
        }

        Map<Long, String> deltasById() {
            Map<Long, String> byId = new TreeMap<>();
            events.forEach(e -> {
                if (content(e) != null) {
                    byId.put(e.eventSeq(), content(e));
                }
            });
            return byId;
        }

        private static String content(RunEvent e) {
            return e instanceof RunEvent.StepDelta d && d.delta().content() != null && !d.delta().content().isEmpty()
                    ? d.delta().content() : null;
        }
    }

    private static long deltas(List<Frame> frames) {
        return frames.stream().filter(f -> f.type().equals("step_delta")).count();
    }

    private static Map<Integer, String> textBySequence(List<Frame> frames) {
        Map<Integer, String> text = new TreeMap<>();
        for (Frame f : frames) {
            String content = f.type().equals("step_delta") ? f.event().path("delta").path("content").asText("") : "";
            if (!content.isEmpty()) {
                text.merge(f.event().get("sequence").asInt(), content, String::concat);
            }
        }
        return text;
    }

    private static Map<Long, String> deltasById(List<Frame> frames, long after) {
        Map<Long, String> byId = new TreeMap<>();
        for (Frame f : frames) {
            long seq = f.event().get("event_seq").asLong();
            String content = f.type().equals("step_delta") ? f.event().path("delta").path("content").asText("") : "";
            if (seq > after && !content.isEmpty()) {
                byId.put(seq, content);
            }
        }
        return byId;
    }
}
