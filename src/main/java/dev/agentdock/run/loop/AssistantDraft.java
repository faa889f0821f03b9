package dev.agentdock.run.loop;

import dev.agentdock.session.ConversationStore;
import dev.agentdock.session.Step;
import dev.agentdock.session.StepRole;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * The assistant step being streamed. Its text reaches the database at most once per flush interval (the first
 * flush inserts the row, later ones update it) and once at the end, so a crash loses at most one interval and the
 * statement count depends on time, not on tokens.
 */
final class AssistantDraft {

    private final ConversationStore store;
    private final long flushIntervalNanos;
    final Step step = new Step();
    private final StringBuilder text = new StringBuilder();
    private int[] deltaEnds = new int[16];
    private int deltas;
    private boolean inserted;
    private boolean saved;
    private int flushedLength;
    private long lastFlush = System.nanoTime();

    AssistantDraft(ConversationStore store, long flushIntervalNanos, UUID sessionId, UUID runId, int sequence,
                   String model, String provider) {
        this.store = store;
        this.flushIntervalNanos = flushIntervalNanos;
        step.id = dev.agentdock.common.Ids.newId();
        step.sessionId = sessionId;
        step.runId = runId;
        step.sequence = sequence;
        step.role = StepRole.ASSISTANT;
        step.modelName = model;
        step.provider = provider;
        step.createdAt = ToolCallSteps.now(); // the row keeps it (the upsert writes it once)
    }

    void append(String delta) {
        text.append(delta);
    }

    /** The step's first event (step_started) was emitted with this number; its deltas follow it without a gap. */
    void startedAt(long eventSeq) {
        step.eventSeq = eventSeq;
    }

    /**
     * A step_delta event of this step was emitted: remember the text length it ended at, so a replay from
     * PostgreSQL can resume after any delta's id (one int per delta, written with the step's final state).
     */
    void deltaEmitted() {
        if (deltas == deltaEnds.length) {
            deltaEnds = java.util.Arrays.copyOf(deltaEnds, deltas * 2);
        }
        deltaEnds[deltas++] = text.length();
    }

    boolean hasOutput() {
        return !text.isEmpty();
    }

    String text() {
        return text.toString();
    }

    /** The answer as a guardrail decided it (redacted, or a refusal); streamed deltas are superseded by it. */
    void replaceText(String replacement) {
        text.setLength(0);
        text.append(replacement);
    }

    /** Nanoseconds until a flush is due (0 when one is due now, or far away when nothing is unflushed). */
    long nanosUntilFlush(long now) {
        if (text.length() == flushedLength) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, lastFlush + flushIntervalNanos - now);
    }

    void flushIfDue(long now) {
        if (text.length() != flushedLength && now - lastFlush >= flushIntervalNanos) {
            flush(now);
        }
    }

    private void flush(long now) {
        step.content = text.toString();
        store.saveStep(step, inserted);
        inserted = true;
        flushedLength = text.length();
        lastFlush = now;
    }

    /** Writes the step's final state: text, tool calls, metrics, and whether it was cut short. */
    void complete(String toolCallsJson, double durationMs, Double firstTokenMs, Integer inputTokens,
                  Integer outputTokens, boolean interrupted, String error) {
        step.content = text.isEmpty() ? null : text.toString();
        step.toolCalls = toolCallsJson;
        step.durationMs = durationMs;
        step.firstTokenLatencyMs = firstTokenMs;
        step.inputTokens = inputTokens;
        step.outputTokens = outputTokens;
        step.totalTokens = inputTokens == null && outputTokens == null ? null
                : (inputTokens == null ? 0 : inputTokens) + (outputTokens == null ? 0 : outputTokens);
        step.interrupted = interrupted;
        step.error = error;
        step.completedAt = ToolCallSteps.now();
        step.deltaEnds = java.util.Arrays.copyOf(deltaEnds, deltas);
        save();
    }

    /** Marks the step cut short by a failure outside the model (the database), keeping the text streamed so far. */
    void cutShort(String error) {
        step.content = text.isEmpty() ? null : text.toString();
        step.interrupted = true;
        step.error = error;
        step.completedAt = ToolCallSteps.now();
        step.deltaEnds = java.util.Arrays.copyOf(deltaEnds, deltas);
    }

    /** Writes the step as it stands (again, when a first attempt failed on an unreachable database). */
    void save() {
        store.saveStep(step, inserted);
        inserted = true;
        saved = true;
        flushedLength = text.length();
    }

    /** Whether the step's final state is stored. */
    boolean saved() {
        return saved;
    }
}
