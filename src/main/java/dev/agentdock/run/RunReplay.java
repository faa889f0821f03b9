package dev.agentdock.run;

import dev.agentdock.session.AgentRun;
import dev.agentdock.session.RunStatus;
import dev.agentdock.session.Step;
import dev.agentdock.session.StepRole;
import dev.agentdock.session.StepView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds a finished run's events from PostgreSQL when the live ones have expired from Redis: its steps as
 * completed steps (tool steps with their call events), then the terminal event its status implies.
 */
final class RunReplay {

    private RunReplay() {
    }

    static List<RunEvent> of(AgentRun run, List<Step> steps) {
        List<RunEvent> events = new ArrayList<>();
        Instant ts = run.startedAt.toInstant();
        events.add(event(events, run, RunEventType.RUN_STARTED, ts, Map.of("agent", run.agentName, "replay", true)));
        for (Step s : steps) {
            Instant at = s.completedAt != null ? s.completedAt.toInstant() : s.createdAt.toInstant();
            if (s.role == StepRole.TOOL) {
                events.add(event(events, run, RunEventType.TOOL_CALL_STARTED, at, Map.of("tool_call_id", s.toolCallId,
                        "name", s.toolName == null ? "" : s.toolName, "sequence", s.sequence)));
                events.add(event(events, run, RunEventType.TOOL_CALL_COMPLETED, at, Map.of("tool_call_id", s.toolCallId,
                        "name", s.toolName == null ? "" : s.toolName, "ok", s.error == null, "sequence", s.sequence)));
            }
            if (s.role != StepRole.USER) {
                events.add(event(events, run, RunEventType.STEP_COMPLETED, at,
                        Map.of("sequence", s.sequence, "step", StepView.of(s))));
            }
        }
        Map<String, Object> end = new LinkedHashMap<>();
        end.put("status", run.status.wire());
        end.put("last_sequence", run.lastSequence);
        end.put("usage", Map.of("input_tokens", run.inputTokens, "output_tokens", run.outputTokens,
                "total_tokens", run.totalTokens));
        end.put("replay", true);
        if (run.error != null) {
            end.put(run.status == RunStatus.INTERRUPTED ? "reason" : "error", run.error);
        }
        Instant endTs = run.completedAt == null ? Instant.now() : run.completedAt.toInstant();
        events.add(event(events, run, terminalOf(run.status), endTs, end));
        return events;
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

    private static RunEvent event(List<RunEvent> so, AgentRun run, RunEventType type, Instant ts, Map<String, Object> f) {
        return new RunEvent(type, run.id, run.sessionId, so.size() + 1, ts, f);
    }
}
