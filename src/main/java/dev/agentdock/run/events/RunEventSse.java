package dev.agentdock.run.events;

import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

/**
 * Turns a run's events into SSE frames: {@code event: <type>}, {@code id: <run_id>:<event_seq>} and the event as
 * JSON. The terminal frame also carries {@code retry:}, so an EventSource that reconnects after the end does so
 * slowly, sends the terminal id as {@code Last-Event-ID} and is answered 204, which stops it.
 */
public final class RunEventSse {

    /** The reconnect delay the terminal frame asks for. */
    static final long RETRY_AFTER_END_MILLIS = 10_000;

    private RunEventSse() {
    }

    /** The channel's events after {@code afterSeq} as SSE; {@code onAbandon} runs if the client leaves early. */
    public static Multi<OutboundSseEvent> stream(RunChannel channel, long afterSeq, Sse sse, RunEventCodec codec,
                                                 Runnable onAbandon) {
        return frames(RunFollower.fromChannel(channel, afterSeq, onAbandon), sse, codec);
    }

    public static Multi<OutboundSseEvent> frames(Multi<RunEvent> events, Sse sse, RunEventCodec codec) {
        return events.map(e -> {
            OutboundSseEvent.Builder frame = sse.newEventBuilder().name(e.type().wire()).id(e.sseId())
                    .data(codec.encode(e));
            if (e.type().isTerminal()) {
                frame.reconnectDelay(RETRY_AFTER_END_MILLIS);
            }
            return frame.build();
        });
    }
}
