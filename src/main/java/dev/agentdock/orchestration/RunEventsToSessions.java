package dev.agentdock.orchestration;

import dev.agentdock.run.events.RunEvent;
import dev.agentdock.run.events.RunEventCodec;
import dev.agentdock.run.events.RunEventType;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What of a run travels on the session channel: its lifecycle, its tool results and guardrail verdicts — not every
 * token (those stay on the run's own stream).
 */
public final class RunEventsToSessions {

    private static final Set<RunEventType> FORWARDED = EnumSet.of(RunEventType.RUN_STARTED, RunEventType.RUN_COMPLETED,
            RunEventType.RUN_CANCELLED, RunEventType.RUN_FAILED, RunEventType.RUN_PAUSED, RunEventType.RUN_QUEUED,
            RunEventType.TOOL_CALL_COMPLETED, RunEventType.GUARDRAIL_TRIPPED);

    private RunEventsToSessions() {
    }

    public static Consumer<RunEvent> forwarder(SessionEventBus bus, RunEventCodec codec, String userId) {
        return event -> {
            if (!FORWARDED.contains(event.type())) {
                return;
            }
            Map<String, Object> data = codec.fields(event);
            data.put("run_id", event.runId().toString());
            data.put("event_seq", event.eventSeq());
            String type = event.type() == RunEventType.TOOL_CALL_COMPLETED ? "tool_result" : event.type().wire();
            bus.publish(new SessionEvent(type, event.sessionId(), userId, event.ts(), data));
        };
    }
}
