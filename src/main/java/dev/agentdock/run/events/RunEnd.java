package dev.agentdock.run.events;

import dev.agentdock.run.events.RunEvent.Guardrail;
import dev.agentdock.run.events.RunEvent.PendingCall;
import dev.agentdock.run.events.RunEvent.Stamp;
import dev.agentdock.run.events.RunEvent.Usage;
import dev.agentdock.session.RunStatus;
import java.util.List;

/**
 * How a run ended, and the one place its terminal event is built from that: by the run as it ends, by the sweep for
 * a run whose instance died, and by {@link RunReplay} from the run's row. The status decides the event
 * ({@code interrupted} and {@code cancelled} end with {@code run_cancelled}), a guardrail's block makes it
 * {@code guardrail_tripped}.
 */
public record RunEnd(RunStatus status, Integer lastSequence, Usage usage, String outputText, String error,
              Guardrail guardrail, boolean tripped, boolean maxStepsReached, Integer upstreamStatus, boolean swept,
              boolean replay) implements RunEvent.Draft<RunEvent.Terminal> {

    /** The error of a run whose input a guardrail blocked (it ends {@code cancelled} without running). */
    public static final String INPUT_BLOCKED = "blocked by the input guardrail";

    /** The error of the assistant step whose answer a guardrail replaced by a refusal. */
    public static final String OUTPUT_BLOCKED = "blocked by the output guardrail";

    public static RunEnd of(RunStatus status, Integer lastSequence, Usage usage, String outputText, String error) {
        return new RunEnd(status, lastSequence, usage, status == RunStatus.COMPLETED ? outputText : null, error, null,
                false, false, null, false, false);
    }

    /** A guardrail blocked the run: its verdict, in the event's own fields. */
    public RunEnd trippedBy(Guardrail verdict) {
        return new RunEnd(status, lastSequence, usage, outputText, error, verdict, true, maxStepsReached,
                upstreamStatus, swept, replay);
    }

    /** A guardrail judged the answer without blocking it (a redaction). */
    public RunEnd judgedBy(Guardrail verdict) {
        return new RunEnd(status, lastSequence, usage, outputText, error, verdict, false, maxStepsReached,
                upstreamStatus, swept, replay);
    }

    public RunEnd atMaxSteps() {
        return new RunEnd(status, lastSequence, usage, outputText, error, guardrail, tripped, true, upstreamStatus,
                swept, replay);
    }

    public RunEnd upstreamStatus(Integer httpStatus) {
        return new RunEnd(status, lastSequence, usage, outputText, error, guardrail, tripped, maxStepsReached,
                httpStatus, swept, replay);
    }

    public RunEnd sweptEnd() {
        return new RunEnd(status, lastSequence, usage, outputText, error, guardrail, tripped, maxStepsReached,
                upstreamStatus, true, replay);
    }

    RunEnd replayed() {
        return new RunEnd(status, lastSequence, usage, outputText, error, guardrail, tripped, maxStepsReached,
                upstreamStatus, swept, true);
    }

    /** The same end with another status (the run's end could not be stored: it ends failed). */
    RunEnd failed(String why) {
        return of(RunStatus.ERROR, lastSequence, usage, null, why);
    }

    @Override
    public RunEvent.Terminal stamped(Stamp stamp) {
        String wire = status.wire();
        Boolean replayed = flag(replay);
        if (tripped) {
            return new RunEvent.GuardrailTripped(stamp, wire, lastSequence, usage, outputText, error,
                    guardrail == null ? null : guardrail.stage(), guardrail == null ? null : guardrail.action(),
                    guardrail == null ? null : guardrail.categories(), guardrail == null ? null : guardrail.sources(),
                    guardrail == null ? null : guardrail.modelAvailable(), replayed);
        }
        return switch (status) {
            case COMPLETED -> new RunEvent.RunCompleted(stamp, wire, lastSequence, usage, outputText,
                    flag(maxStepsReached), guardrail, replayed);
            case INTERRUPTED -> new RunEvent.RunCancelled(stamp, wire, lastSequence, usage, error, null, flag(swept),
                    replayed);
            case CANCELLED -> new RunEvent.RunCancelled(stamp, wire, lastSequence, usage, null, error, flag(swept),
                    replayed);
            case PENDING -> new RunEvent.RunQueued(stamp, wire);
            case PAUSED -> new RunEvent.RunPaused(stamp, wire, lastSequence == null ? 0 : lastSequence, List.of(),
                    replayed);
            default -> new RunEvent.RunFailed(stamp, wire, lastSequence, usage, error, upstreamStatus, replayed);
        };
    }

    /** A run paused for approval of {@code pending}, asked for by its step {@code sequence}. */
    public static RunEvent.Draft<RunEvent.RunPaused> paused(int sequence, List<PendingCall> pending, boolean replay) {
        return stamp -> new RunEvent.RunPaused(stamp, RunStatus.PAUSED.wire(), sequence, List.copyOf(pending),
                flag(replay));
    }

    /** A run queued behind its session's running one. */
    public static RunEvent.Draft<RunEvent.RunQueued> queued() {
        return stamp -> new RunEvent.RunQueued(stamp, RunStatus.PENDING.wire());
    }

    /** Optional flags are absent unless set. */
    public static Boolean flag(boolean set) {
        return set ? Boolean.TRUE : null;
    }
}
