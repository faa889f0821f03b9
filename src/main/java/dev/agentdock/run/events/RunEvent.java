package dev.agentdock.run.events;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.OptBoolean;
import dev.agentdock.session.StepView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One event of a run, a record per kind: {@code {type, run_id, session_id, event_seq, ts, ...fields}} on the wire.
 * The engine builds a {@link Draft} (the fields); whoever numbers events (the live {@link RunChannel}, or
 * {@link RunReplay} from PostgreSQL) stamps it, so a live and a replayed event are built by the same constructor and
 * differ only in {@code ts} (the replay knows when a step was stored, not when each event left) and in the
 * {@code replay} flag of {@code run_started} and the terminal events. {@link RunEventCodec} is the one place they
 * become JSON (SSE, Redis relay, socket) and back. Optional fields are absent rather than null or false.
 */
@JsonPropertyOrder({"type", "run_id", "session_id", "event_seq", "ts"})
public sealed interface RunEvent {

    /** Who numbered the event and when: the part a {@link Draft} does not have. */
    record Stamp(UUID runId, UUID sessionId, long eventSeq, Instant ts) {
    }

    /** An event before it is numbered; {@link RunChannel#emit} and {@link RunReplay} stamp it. */
    @FunctionalInterface
    interface Draft<E extends RunEvent> {
        E stamped(Stamp stamp);
    }

    /** The key under which the codec injects the stamp while decoding. */
    String STAMP = "stamp";

    @JsonIgnore
    Stamp stamp();

    @JsonProperty("type")
    default RunEventType type() {
        return switch (this) {
            case RunStarted e -> RunEventType.RUN_STARTED;
            case StepStarted e -> RunEventType.STEP_STARTED;
            case StepDelta e -> RunEventType.STEP_DELTA;
            case ToolCallStarted e -> RunEventType.TOOL_CALL_STARTED;
            case ToolCallCompleted e -> RunEventType.TOOL_CALL_COMPLETED;
            case StepCompleted e -> RunEventType.STEP_COMPLETED;
            case RunCompleted e -> RunEventType.RUN_COMPLETED;
            case RunCancelled e -> RunEventType.RUN_CANCELLED;
            case RunFailed e -> RunEventType.RUN_FAILED;
            case RunPaused e -> RunEventType.RUN_PAUSED;
            case RunQueued e -> RunEventType.RUN_QUEUED;
            case GuardrailTripped e -> RunEventType.GUARDRAIL_TRIPPED;
        };
    }

    @JsonProperty("run_id")
    default UUID runId() {
        return stamp().runId();
    }

    @JsonProperty("session_id")
    default UUID sessionId() {
        return stamp().sessionId();
    }

    @JsonProperty("event_seq")
    default long eventSeq() {
        return stamp().eventSeq();
    }

    @JsonProperty("ts")
    default Instant ts() {
        return stamp().ts();
    }

    /** The SSE id of this event, which a client sends back as {@code Last-Event-ID} to resume after it. */
    @JsonIgnore
    default String sseId() {
        return runId() + ":" + eventSeq();
    }

    /** Token counts of a run so far. */
    record Usage(int inputTokens, int outputTokens, int totalTokens) {
        public static Usage of(int in, int out) {
            return new Usage(in, out, in + out);
        }
    }

    /** A tool call waiting for a person's decision. */
    record PendingCall(String toolCallId, String name, String arguments) {
    }

    /**
     * What a {@code step_delta} adds: text ({@code content}) or a piece of a tool call ({@code index}, {@code id},
     * {@code name}, {@code arguments}).
     */
    record Delta(String content, Map<String, Object> toolCall) {
        public static Delta text(String content) {
            return new Delta(content, null);
        }
    }

    /** A guardrail's verdict on a run's input or output. */
    record Guardrail(String stage, String action, Map<String, Boolean> categories, List<String> sources,
                     Boolean modelAvailable) {
    }

    /** A run (or a paused run resumed) began. {@code replay} marks one rebuilt from PostgreSQL. */
    record RunStarted(@JacksonInject(value = STAMP, useInput = OptBoolean.FALSE) Stamp stamp, String agent,
                      String model, Integer userSequence, Boolean inputRedacted, Boolean resumed, Boolean replay)
            implements RunEvent {
    }

    record StepStarted(@JacksonInject(value = STAMP, useInput = OptBoolean.FALSE) Stamp stamp, int sequence,
                       String role, UUID stepId) implements RunEvent {
    }

    record StepDelta(@JacksonInject(value = STAMP, useInput = OptBoolean.FALSE) Stamp stamp, int sequence,
                     Delta delta) implements RunEvent {
    }

    record ToolCallStarted(@JacksonInject(value = STAMP, useInput = OptBoolean.FALSE) Stamp stamp, String toolCallId,
                           String name, String arguments, int sequence) implements RunEvent {
    }

    /** A tool call's outcome: {@code result} when {@code ok}, else {@code error}. */
    record ToolCallCompleted(@JacksonInject(value = STAMP, useInput = OptBoolean.FALSE) Stamp stamp, String toolCallId,
                             String name, boolean ok, String result, String error, double durationMs, int sequence)
            implements RunEvent {
    }

    record StepCompleted(@JacksonInject(value = STAMP, useInput = OptBoolean.FALSE) Stamp stamp, int sequence,
                         StepView step) implements RunEvent {
    }

    /** The events after which a stream ends (see {@link RunEnd}, where they are built). */
    sealed interface Terminal extends RunEvent {
    }

    record RunCompleted(@JacksonInject(value = STAMP, useInput = OptBoolean.FALSE) Stamp stamp, String status,
                        Integer lastSequence, Usage usage, String outputText, Boolean maxStepsReached,
                        Guardrail guardrail, Boolean replay) implements Terminal {
    }

    /**
     * A stopped run ({@code status: interrupted}, with the stop's {@code reason}; {@code swept} when its instance
     * died), or one cancelled before it ran ({@code status: cancelled}, with an {@code error}).
     */
    record RunCancelled(@JacksonInject(value = STAMP, useInput = OptBoolean.FALSE) Stamp stamp, String status,
                        Integer lastSequence, Usage usage, String reason, String error, Boolean swept, Boolean replay)
            implements Terminal {
    }

    /** {@code upstream_status} is the model's HTTP status (stored with the run's end: {@link RunEndDetail}). */
    record RunFailed(@JacksonInject(value = STAMP, useInput = OptBoolean.FALSE) Stamp stamp, String status,
                     Integer lastSequence, Usage usage, String error, Integer upstreamStatus, Boolean replay)
            implements Terminal {
    }

    /** The run waits for approvals; an approval continues the same run (and its numbering) as a new stream. */
    record RunPaused(@JacksonInject(value = STAMP, useInput = OptBoolean.FALSE) Stamp stamp, String status,
                     int sequence, List<PendingCall> pendingToolCalls, Boolean replay) implements Terminal {
    }

    /** The run waits behind the session's running one ({@code multitask: enqueue}). */
    record RunQueued(@JacksonInject(value = STAMP, useInput = OptBoolean.FALSE) Stamp stamp, String status)
            implements Terminal {
    }

    /**
     * A guardrail blocked the input (the run did not run) or the output (replaced by a refusal), with its whole verdict
     * (stored with the run's end: {@link RunEndDetail}).
     */
    record GuardrailTripped(@JacksonInject(value = STAMP, useInput = OptBoolean.FALSE) Stamp stamp, String status,
                            Integer lastSequence, Usage usage, String outputText, String error, String stage,
                            String action, Map<String, Boolean> categories, List<String> sources,
                            Boolean modelAvailable, Boolean replay) implements Terminal {
    }
}
