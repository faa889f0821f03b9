package dev.agentdock.simulator;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes pre-rendered SSE frames with pacing, entirely on the event loop: one timer at a time per stream, frames
 * without a delay in front of them coalesced into one write (cheap with 1,000+ concurrent streams), timers cancelled
 * as soon as the client goes away.
 */
final class SseStream {

    /** How the stream ends once its frames are written. */
    enum Ending {
        /** Regular end of the HTTP response. */
        END,
        /** Connection closed mid-response: no terminating chunk, the client sees a premature EOF. */
        CUT,
        /** Nothing more is written; the connection is closed after the stall timeout unless the client leaves. */
        STALL
    }

    private record Frame(String text, long delayMs) {}

    private final Vertx vertx;
    private final RoutingContext ctx;
    private final HttpServerResponse response;
    private final long stallTimeoutMs;
    private final List<Frame> frames = new ArrayList<>();
    private Ending ending = Ending.END;
    private int next;
    private boolean waited;
    private boolean gone;
    private long timerId = -1;
    private final java.util.concurrent.atomic.AtomicInteger open;
    private boolean released;

    SseStream(Vertx vertx, RoutingContext ctx, long stallTimeoutMs, java.util.concurrent.atomic.AtomicInteger open) {
        this.open = open;
        this.vertx = vertx;
        this.ctx = ctx;
        this.response = ctx.response();
        this.stallTimeoutMs = stallTimeoutMs;
    }

    /** Queues {@code data: json} after {@code delayMs}. */
    SseStream data(String json, long delayMs) {
        frames.add(new Frame("data: " + json + "\n\n", delayMs));
        return this;
    }

    /** Queues {@code event: type} + {@code data: json} (Responses API style) after {@code delayMs}. */
    SseStream event(String type, String json, long delayMs) {
        frames.add(new Frame("event: " + type + "\ndata: " + json + "\n\n", delayMs));
        return this;
    }

    SseStream endWith(Ending ending) {
        this.ending = ending;
        return this;
    }

    void start() {
        response.setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
        open.incrementAndGet();
        response.closeHandler(v -> stop());
        response.exceptionHandler(e -> stop());
        response.endHandler(v -> release());
        pump();
    }

    private void pump() {
        timerId = -1;
        if (gone) {
            return;
        }
        Buffer batch = null;
        while (next < frames.size()) {
            Frame frame = frames.get(next);
            if (frame.delayMs() > 0 && !waited) {
                if (batch != null) {
                    response.write(batch);
                }
                waited = true;
                timerId = vertx.setTimer(frame.delayMs(), id -> pump());
                return;
            }
            waited = false;
            if (batch == null) {
                batch = Buffer.buffer(256);
            }
            batch.appendString(frame.text());
            next++;
        }
        finish(batch);
    }

    private void finish(Buffer batch) {
        switch (ending) {
            case END -> {
                if (batch == null) {
                    response.end();
                } else {
                    response.end(batch);
                }
            }
            case CUT -> {
                // Close only once the last frames reached the socket, otherwise Netty may drop them with the channel.
                if (batch == null) {
                    ctx.request().connection().close();
                } else {
                    response.write(batch).onComplete(ar -> ctx.request().connection().close());
                }
            }
            case STALL -> {
                if (batch != null) {
                    response.write(batch);
                }
                timerId = vertx.setTimer(stallTimeoutMs, id -> ctx.request().connection().close());
            }
        }
    }

    private void release() {
        if (!released) {
            released = true;
            open.decrementAndGet();
        }
    }

    private void stop() {
        release();
        gone = true;
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
            timerId = -1;
        }
    }
}
