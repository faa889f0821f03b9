package dev.agentdock.run.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.session.AgentRun;
import dev.agentdock.session.RunRepository;
import dev.agentdock.session.RunStatus;
import dev.agentdock.session.Step;
import dev.agentdock.session.StepRole;
import dev.agentdock.session.StepView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds a run's events from PostgreSQL, numbered as the live stream numbered them, so any id a client saw
 * resumes exactly after it. Each streamed step stores the number of its first event and the text length after
 * each of its deltas ({@code event_seq}, {@code delta_ends}); everything else follows from the shape of a run:
 * <pre>
 *   1                 run_started
 *   e                 step_started        (an assistant step, e = its event_seq, n = its number of deltas)
 *   e+1 .. e+n        step_delta          (delta i cut from the stored text at delta_ends[i-1] .. delta_ends[i],
 *                                         so each replayed delta has the id and the text its live one had)
 *   e+n+1             step_completed
 *   t, t+1, t+2       tool_call_started, tool_call_completed, step_completed   (a tool step, t = its event_seq)
 *   p, p+1            run_paused, run_started (resumed)   (the gap of two a pause for approval leaves)
 *   run.event_seq     the terminal event its status implies
 * </pre>
 * A delta that added no text (a tool call's argument delta) is not replayed: its id is skipped, the step_completed
 * after it carries the calls. A client resuming from any id therefore gets the live events after it, id for id.
 */
public final class RunReplay {

    /** The error of a tool call the run did not make because it was stopped first. */
    static final String CANCELLED_CALL = "cancelled";

    private final AgentRun run;
    private final long after;
    private final ObjectMapper json;
    private final List<RunEvent> events = new ArrayList<>();

    private RunReplay(AgentRun run, long after, ObjectMapper json) {
        this.run = run;
        this.after = after;
        this.json = json;
    }

    /** The events of {@code run} after event {@code after}, from its {@code steps} (all of them, in order). */
    static List<RunEvent> after(AgentRun run, List<Step> steps, long after, ObjectMapper json) {
        return new RunReplay(run, after, json).build(steps);
    }

    private List<RunEvent> build(List<Step> steps) {
        Map<String, String> arguments = new HashMap<>();
        Step user = steps.stream().filter(s -> s.role == StepRole.USER).findFirst().orElse(null);
        RunEndDetail detail = RunEndDetail.read(run.endDetail);
        String stepModel = modelOf(steps);
        String model = stepModel != null || detail == null ? stepModel : detail.model();
        Boolean redacted = detail == null ? null : detail.inputRedacted();
        add(1, run.startedAt.toInstant(), stamp -> new RunEvent.RunStarted(stamp, run.agentName, model,
                user == null ? null : user.sequence, redacted, null, true));
        long next = 2;
        Step asking = null;
        for (Step s : steps) {
            if (s.eventSeq == null) {
                continue; // the user step, or a tool call decided by a person while the run is still paused
            }
            Instant at = s.completedAt != null ? s.completedAt.toInstant() : s.createdAt.toInstant();
            if (s.eventSeq == next + 2 && asking != null) {
                paused(next, asking, steps, at, model);
            }
            if (s.role == StepRole.ASSISTANT) {
                next = assistant(s, at);
                asking = s.toolCalls == null ? null : s;
                arguments.putAll(argumentsOf(s));
            } else if (s.role == StepRole.TOOL) {
                next = tool(s, at, arguments.get(s.toolCallId));
            }
        }
        long terminal = Math.max(run.eventSeq, next);
        Instant endTs = run.completedAt == null ? Instant.now() : run.completedAt.toInstant();
        if (terminal == next + 2 && asking != null && run.status != RunStatus.PAUSED) {
            paused(next, asking, steps, endTs, model);
        }
        if (run.status == RunStatus.PAUSED && asking != null) {
            add(terminal, endTs, RunEnd.paused(asking.sequence, undecided(asking, steps, Long.MAX_VALUE), true));
        } else {
            add(terminal, endTs, end(run, steps));
        }
        return events;
    }

    /**
     * The terminal event of an ended run, numbered {@code seq}: for a follower that got every event but the end,
     * whose number the database does not know (the run was swept after its instance died).
     */
    static RunEvent.Terminal terminal(AgentRun run, List<Step> steps, long seq) {
        Instant at = run.completedAt == null ? Instant.now() : run.completedAt.toInstant();
        return end(run, steps).stamped(new RunEvent.Stamp(run.id, run.sessionId, seq, at));
    }

    /**
     * How the run's row and steps say it ended: its status, error and usage, the detail stored with its end
     * ({@link RunEndDetail}: a guardrail's verdict, a failure's upstream status), whether it was swept (its error is
     * the sweep's). A run ended before the detail was kept gets the verdict's stage and action from its error alone.
     */
    private static RunEnd end(AgentRun run, List<Step> steps) {
        Step lastAssistant = null;
        for (Step s : steps) {
            if (s.role == StepRole.ASSISTANT) {
                lastAssistant = s;
            }
        }
        String lastText = lastAssistant == null || lastAssistant.content == null ? "" : lastAssistant.content;
        RunEnd end = RunEnd.of(run.status, run.lastSequence, RunEvent.Usage.of(run.inputTokens, run.outputTokens),
                lastText, run.error).replayed();
        if (run.status == RunStatus.INTERRUPTED && RunRepository.STALE_REASON.equals(run.error)) {
            end = end.sweptEnd();
        }
        RunEndDetail detail = RunEndDetail.read(run.endDetail);
        if (detail != null) {
            end = detail.applyTo(end);
            if (end.tripped()) {
                return end;
            }
        } else if (run.status == RunStatus.CANCELLED && RunEnd.INPUT_BLOCKED.equals(run.error)) {
            return end.trippedBy(new RunEvent.Guardrail("input", "block", null, null, null));
        }
        if (detail == null && run.status == RunStatus.COMPLETED && lastAssistant != null
                && RunEnd.OUTPUT_BLOCKED.equals(lastAssistant.error)) {
            return end.trippedBy(new RunEvent.Guardrail("output", "block", null, null, null));
        }
        if (run.status == RunStatus.COMPLETED && !steps.isEmpty() && steps.getLast().role == StepRole.TOOL) {
            return end.atMaxSteps(); // a completed run whose last step is a tool's stopped at max_steps
        }
        return end;
    }

    private static String modelOf(List<Step> steps) {
        return steps.stream().filter(s -> s.role == StepRole.ASSISTANT && s.modelName != null)
                .map(s -> s.modelName).findFirst().orElse(null);
    }

    /** An assistant step's events; answers the number after its last one. */
    private long assistant(Step s, Instant at) {
        long e = s.eventSeq;
        add(e, s.createdAt.toInstant(), stepStarted(s));
        if (s.deltaEnds == null) {
            return e + 1; // never completed (its instance died): where its deltas stopped is not known
        }
        int n = s.deltaEnds.length;
        String text = s.content == null ? "" : s.content;
        // delta i (id e+1+i) carried the text from where delta i-1 ended to where it ended; the last one also
        // carries any text past the last recorded end (a guardrail's replacement longer than what was streamed)
        int from = 0;
        for (int i = 0; i < n; i++) {
            int to = i == n - 1 ? text.length() : Math.min(s.deltaEnds[i], text.length());
            to = Math.max(to, from);
            if (to > from) {
                String piece = text.substring(from, to);
                add(e + 1 + i, at, textDelta(s.sequence, piece));
            }
            from = to;
        }
        add(e + n + 1, at, stepCompleted(s));
        return e + n + 2;
    }

    private long tool(Step s, Instant at, String rawArguments) {
        long t = s.eventSeq;
        add(t, s.createdAt.toInstant(), toolStarted(s, rawArguments));
        add(t + 1, at, toolCompleted(s));
        add(t + 2, at, stepCompleted(s));
        return t + 3;
    }

    /*
     * The events of stored steps, live and replayed alike: the engine emits a step's events from the step it just
     * stored, the replay from the step it read back, through these.
     */

    public static RunEvent.Draft<RunEvent.StepStarted> stepStarted(Step s) {
        return stamp -> new RunEvent.StepStarted(stamp, s.sequence, s.role.wire(), s.id);
    }

    public static RunEvent.Draft<RunEvent.StepDelta> textDelta(int sequence, String text) {
        return stamp -> new RunEvent.StepDelta(stamp, sequence, RunEvent.Delta.text(text));
    }

    public static RunEvent.Draft<RunEvent.ToolCallStarted> toolStarted(Step s, String rawArguments) {
        String args = rawArguments != null ? rawArguments : s.toolArguments == null ? "" : s.toolArguments;
        String name = s.toolName == null ? "" : s.toolName;
        return stamp -> new RunEvent.ToolCallStarted(stamp, s.toolCallId, name, args, s.sequence);
    }

    public static RunEvent.Draft<RunEvent.ToolCallCompleted> toolCompleted(Step s) {
        boolean ok = s.error == null && !s.interrupted;
        String name = s.toolName == null ? "" : s.toolName;
        String error = ok ? null : s.interrupted ? CANCELLED_CALL : s.error;
        double duration = s.toolExecTimeMs == null ? 0.0 : s.toolExecTimeMs;
        return stamp -> new RunEvent.ToolCallCompleted(stamp, s.toolCallId, name, ok, ok ? s.content : null, error,
                duration, s.sequence);
    }

    public static RunEvent.Draft<RunEvent.StepCompleted> stepCompleted(Step s) {
        StepView view = StepView.of(s);
        return stamp -> new RunEvent.StepCompleted(stamp, s.sequence, view);
    }

    /** The pause for approval after {@code asking}, and the run's start again once every call was decided. */
    private void paused(long p, Step asking, List<Step> steps, Instant at, String model) {
        add(p, at, RunEnd.paused(asking.sequence, undecided(asking, steps, p), false));
        add(p + 1, at, resumed(run.agentName, model));
    }

    /** A paused run's start again, once every call was decided. */
    public static RunEvent.Draft<RunEvent.RunStarted> resumed(String agent, String model) {
        return stamp -> new RunEvent.RunStarted(stamp, agent, model, null, null, true, null);
    }

    /**
     * The calls of the paused step that a person decided (or has still to): none of them ran in the stream before
     * the pause at {@code p} (a decided call is numbered after it, once the run resumed).
     */
    private List<RunEvent.PendingCall> undecided(Step asking, List<Step> steps, long p) {
        List<RunEvent.PendingCall> pending = new ArrayList<>();
        for (JsonNode call : calls(asking)) {
            String id = call.path("id").asText();
            boolean streamed = steps.stream().anyMatch(s -> s.role == StepRole.TOOL && id.equals(s.toolCallId)
                    && s.eventSeq != null && s.eventSeq < p);
            if (!streamed) {
                pending.add(new RunEvent.PendingCall(id, call.at("/function/name").asText(),
                        call.at("/function/arguments").asText("")));
            }
        }
        return pending;
    }

    private Map<String, String> argumentsOf(Step s) {
        Map<String, String> byId = new HashMap<>();
        for (JsonNode call : calls(s)) {
            byId.put(call.path("id").asText(), call.at("/function/arguments").asText(""));
        }
        return byId;
    }

    private JsonNode calls(Step s) {
        if (s.toolCalls == null) {
            return json.createArrayNode();
        }
        try {
            return json.readTree(s.toolCalls);
        } catch (java.io.IOException e) {
            return json.createArrayNode();
        }
    }

    private void add(long seq, Instant ts, RunEvent.Draft<?> draft) {
        if (seq > after) {
            events.add(draft.stamped(new RunEvent.Stamp(run.id, run.sessionId, seq, ts)));
        }
    }
}
