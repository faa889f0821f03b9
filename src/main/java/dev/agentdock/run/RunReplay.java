package dev.agentdock.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.session.AgentRun;
import dev.agentdock.session.RunStatus;
import dev.agentdock.session.Step;
import dev.agentdock.session.StepRole;
import dev.agentdock.session.StepView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
final class RunReplay {

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
        String model = steps.stream().filter(s -> s.role == StepRole.ASSISTANT && s.modelName != null)
                .map(s -> s.modelName).findFirst().orElse(null);
        Map<String, Object> started = new LinkedHashMap<>();
        started.put("agent", run.agentName);
        if (model != null) {
            started.put("model", model);
        }
        if (user != null) {
            started.put("user_sequence", user.sequence);
        }
        started.put("replay", true);
        add(1, RunEventType.RUN_STARTED, run.startedAt.toInstant(), started);
        long next = 2;
        Step asking = null;
        String lastText = "";
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
                lastText = s.content == null ? "" : s.content;
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
        Map<String, Object> end = new LinkedHashMap<>();
        end.put("status", run.status.wire());
        end.put("last_sequence", run.lastSequence);
        end.put("usage", Map.of("input_tokens", run.inputTokens, "output_tokens", run.outputTokens,
                "total_tokens", run.totalTokens));
        if (run.status == RunStatus.COMPLETED) {
            end.put("output_text", lastText);
        }
        if (run.status == RunStatus.PAUSED && asking != null) {
            end.put("sequence", asking.sequence);
            end.put("pending_tool_calls", undecided(asking, steps, Long.MAX_VALUE));
        }
        if (run.error != null) {
            end.put(run.status == RunStatus.INTERRUPTED ? "reason" : "error", run.error);
        }
        end.put("replay", true);
        add(terminal, terminalOf(run.status), endTs, end);
        return events;
    }

    /** An assistant step's events; answers the number after its last one. */
    private long assistant(Step s, Instant at) {
        long e = s.eventSeq;
        add(e, RunEventType.STEP_STARTED, s.createdAt.toInstant(),
                Map.of("sequence", s.sequence, "role", "assistant", "step_id", s.id));
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
                add(e + 1 + i, RunEventType.STEP_DELTA, at, Map.of("sequence", s.sequence,
                        "delta", Map.of("content", text.substring(from, to))));
            }
            from = to;
        }
        add(e + n + 1, RunEventType.STEP_COMPLETED, at, Map.of("sequence", s.sequence, "step", StepView.of(s)));
        return e + n + 2;
    }

    private long tool(Step s, Instant at, String rawArguments) {
        long t = s.eventSeq;
        add(t, RunEventType.TOOL_CALL_STARTED, s.createdAt.toInstant(), toolStarted(s, rawArguments));
        add(t + 1, RunEventType.TOOL_CALL_COMPLETED, at, toolCompleted(s));
        add(t + 2, RunEventType.STEP_COMPLETED, at, stepCompleted(s));
        return t + 3;
    }

    /**
     * The three events of a stored tool step: what a replay sends, and what a resumed run sends live for a call a
     * person decided while it was paused (that call ran in the approve request, outside any stream).
     */
    static Map<String, Object> toolStarted(Step s, String rawArguments) {
        String args = rawArguments != null ? rawArguments : s.toolArguments == null ? "" : s.toolArguments;
        return Map.of("tool_call_id", s.toolCallId, "name", s.toolName == null ? "" : s.toolName, "arguments", args,
                "sequence", s.sequence);
    }

    static Map<String, Object> toolCompleted(Step s) {
        Map<String, Object> done = new LinkedHashMap<>();
        done.put("tool_call_id", s.toolCallId);
        done.put("name", s.toolName == null ? "" : s.toolName);
        boolean ok = s.error == null && !s.interrupted;
        done.put("ok", ok);
        if (ok) {
            done.put("result", s.content);
        } else {
            done.put("error", s.interrupted ? CANCELLED_CALL : s.error);
        }
        done.put("duration_ms", s.toolExecTimeMs == null ? 0.0 : s.toolExecTimeMs);
        done.put("sequence", s.sequence);
        return done;
    }

    static Map<String, Object> stepCompleted(Step s) {
        return Map.of("sequence", s.sequence, "step", StepView.of(s));
    }

    /** The pause for approval after {@code asking}, and the run's start again once every call was decided. */
    private void paused(long p, Step asking, List<Step> steps, Instant at, String model) {
        add(p, RunEventType.RUN_PAUSED, at, Map.of("status", "paused", "sequence", asking.sequence,
                "pending_tool_calls", undecided(asking, steps, p)));
        Map<String, Object> resumed = new LinkedHashMap<>();
        resumed.put("agent", run.agentName);
        if (model != null) {
            resumed.put("model", model);
        }
        resumed.put("resumed", true);
        add(p + 1, RunEventType.RUN_STARTED, at, resumed);
    }

    /**
     * The calls of the paused step that a person decided (or has still to): none of them ran in the stream before
     * the pause at {@code p} (a decided call is numbered after it, once the run resumed).
     */
    private List<Map<String, Object>> undecided(Step asking, List<Step> steps, long p) {
        List<Map<String, Object>> pending = new ArrayList<>();
        for (JsonNode call : calls(asking)) {
            String id = call.path("id").asText();
            boolean streamed = steps.stream().anyMatch(s -> s.role == StepRole.TOOL && id.equals(s.toolCallId)
                    && s.eventSeq != null && s.eventSeq < p);
            if (!streamed) {
                pending.add(Map.of("tool_call_id", id, "name", call.at("/function/name").asText(),
                        "arguments", call.at("/function/arguments").asText("")));
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

    private void add(long seq, RunEventType type, Instant ts, Map<String, Object> fields) {
        if (seq > after) {
            events.add(new RunEvent(type, run.id, run.sessionId, seq, ts, fields));
        }
    }

    static RunEventType terminalOf(RunStatus status) {
        return switch (status) {
            case COMPLETED -> RunEventType.RUN_COMPLETED;
            case INTERRUPTED, CANCELLED -> RunEventType.RUN_CANCELLED;
            case PAUSED -> RunEventType.RUN_PAUSED;
            case PENDING -> RunEventType.RUN_QUEUED;
            default -> RunEventType.RUN_FAILED;
        };
    }
}
