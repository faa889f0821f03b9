package dev.agentdock.run;

import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

/** Turns a run's events into SSE frames: {@code id: <run_id>:<event_seq>} and the event as JSON. */
final class RunEventSse {

    private RunEventSse() {
    }

    /** The channel's events after {@code afterSeq} as SSE; {@code onAbandon} runs if the client leaves early. */
    static Multi<OutboundSseEvent> stream(RunChannel channel, long afterSeq, Sse sse, RunEventCodec codec,
                                          Runnable onAbandon) {
        return frames(RunFollower.fromChannel(channel, afterSeq, onAbandon), sse, codec);
    }

    static Multi<OutboundSseEvent> frames(Multi<RunEvent> events, Sse sse, RunEventCodec codec) {
        return events.map(e -> sse.newEventBuilder().id(e.sseId()).mediaType(MediaType.TEXT_PLAIN_TYPE)
                .data(codec.encode(e)).build());
    }
}
