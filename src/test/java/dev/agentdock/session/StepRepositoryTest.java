package dev.agentdock.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.agentdock.common.Ids;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
class StepRepositoryTest {

    @Inject
    StepRepository steps;
    @Inject
    SessionRepository sessions;

    private UUID newSession() {
        UUID id = Ids.newId();
        QuarkusTransaction.requiringNew().run(() -> sessions.create(id, "user-" + id, "assistant"));
        return id;
    }

    private static Step step(UUID sessionId, int sequence, StepRole role, String content) {
        Step s = new Step();
        s.sessionId = sessionId;
        s.sequence = sequence;
        s.role = role;
        s.content = content;
        return s;
    }

    @Test
    void aStreamedStepIsRewrittenWithItsPlaceInTheRunsEventStream() {
        UUID session = newSession();
        Step streamed = step(session, 1, StepRole.ASSISTANT, "Hel");
        streamed.runId = UUID.randomUUID();
        steps.insert(streamed);
        String inserted = steps.versionOfRun(streamed.runId);

        streamed.content = "Hello";
        streamed.eventSeq = 3L;
        streamed.deltaEnds = new int[] {3, 5};
        steps.update(streamed);

        assertThat(steps.versionOfRun(streamed.runId)).startsWith("1:").isNotEqualTo(inserted);
        Step stored = steps.findByRun(streamed.runId).getFirst();
        assertThat(stored.content).isEqualTo("Hello");
        assertThat(stored.eventSeq).isEqualTo(3L);
        assertThat(stored.deltaEnds).containsExactly(3, 5);
    }

    @Test
    void savedStepsComeBackInSequenceOrderWithRangesAndTail() {
        UUID session = newSession();
        QuarkusTransaction.requiringNew().run(() -> steps.save(step(session, 1, StepRole.USER, "hi")));
        // the steps of a turn, as the turn writes them: each its own statement, outside a transaction
        Step assistant = step(session, 2, StepRole.ASSISTANT, null);
        assistant.toolCalls = "[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"echo\",\"arguments\":\"{}\"}}]";
        assistant.inputTokens = 12;
        assistant.durationMs = 3.5;
        steps.insert(assistant);
        steps.insert(withTool(step(session, 3, StepRole.TOOL, "echoed"), "call_1"));
        steps.insert(step(session, 4, StepRole.ASSISTANT, "done"));

        List<Step> all = steps.findBySession(session, null, null);
        assertThat(all).extracting(s -> s.sequence).containsExactly(1, 2, 3, 4);
        assertThat(all.get(1).toolCalls).contains("\"call_1\"");
        assertThat(all.get(1).inputTokens).isEqualTo(12);
        assertThat(all.get(2).toolCallId).isEqualTo("call_1");
        assertThat(steps.findBySession(session, 2, 3)).extracting(s -> s.sequence).containsExactly(2, 3);
        assertThat(steps.findBySession(session, 3, null)).extracting(s -> s.sequence).containsExactly(3, 4);
        assertThat(steps.findTail(session, 2)).extracting(s -> s.content).containsExactly("echoed", "done");
        assertThat(steps.maxSequence(session)).isEqualTo(4);
        assertThat(steps.findPageBySession(session, null, null, 2)).extracting(s -> s.sequence).containsExactly(1, 2);
    }

    @Test
    void deleteFromSequenceRemovesThatStepAndLaterOnesOnly() {
        UUID session = newSession();
        QuarkusTransaction.requiringNew().run(() -> {
            for (int i = 1; i <= 5; i++) {
                steps.save(step(session, i, i % 2 == 1 ? StepRole.USER : StepRole.ASSISTANT, "m" + i));
            }
        });
        long deleted = QuarkusTransaction.requiringNew().call(() -> steps.deleteFrom(session, 3));
        assertThat(deleted).isEqualTo(3);
        assertThat(steps.findBySession(session, null, null)).extracting(s -> s.content).containsExactly("m1", "m2");
        assertThat(steps.maxSequence(newSession())).isZero();
    }

    @Test
    void aDuplicateSequenceIsATypedConflictAndKeepsTheFirstWriter() {
        UUID session = newSession();
        QuarkusTransaction.requiringNew().run(() -> steps.save(step(session, 1, StepRole.USER, "first")));
        SequenceConflictException conflict = assertThrows(SequenceConflictException.class,
                () -> QuarkusTransaction.requiringNew().run(() -> steps.save(step(session, 1, StepRole.USER, "second"))));
        assertThat(conflict.sequence()).isEqualTo(1);
        assertThat(conflict.sessionId()).isEqualTo(session);
        assertThat(steps.findBySession(session, null, null)).extracting(s -> s.content).containsExactly("first");
    }

    @Test
    void twoConcurrentWritersClaimingTheSameNextSequenceNeverCorruptTheOrder() throws Exception {
        UUID session = newSession();
        int writers = 2;
        int perWriter = 10;
        CyclicBarrier bothRead = new CyclicBarrier(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            String who = "w" + w;
            results.add(CompletableFuture.supplyAsync(() -> {
                int conflicts = 0;
                for (int i = 0; i < perWriter; i++) {
                    boolean firstAttempt = true;
                    while (true) {
                        boolean sync = firstAttempt && i == 0;
                        firstAttempt = false;
                        try {
                            QuarkusTransaction.requiringNew().run(() -> {
                                int next = steps.maxSequence(session) + 1;
                                if (sync) {
                                    await(bothRead); // both writers have read the same "next" before either inserts
                                }
                                steps.save(step(session, next, StepRole.USER, who));
                            });
                            break;
                        } catch (SequenceConflictException e) {
                            conflicts++;
                        }
                    }
                }
                return conflicts;
            }, pool));
        }
        int conflicts = 0;
        for (CompletableFuture<Integer> r : results) {
            conflicts += r.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        List<Step> stored = steps.findBySession(session, null, null);
        assertThat(conflicts).as("the writer that lost the first race saw a typed conflict").isGreaterThanOrEqualTo(1);
        assertThat(stored).hasSize(writers * perWriter);
        assertThat(stored).extracting(s -> s.sequence)
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, writers * perWriter).boxed().toList());
        assertThat(stored).filteredOn(s -> s.content.equals("w0")).hasSize(perWriter);
        assertThat(stored).filteredOn(s -> s.content.equals("w1")).hasSize(perWriter);
    }

    private static Step withTool(Step s, String callId) {
        s.toolCallId = callId;
        s.toolName = "echo";
        s.toolArguments = "{\"text\":\"x\"}";
        return s;
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
