package dev.agentdock.realtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.common.DomainException;
import dev.agentdock.common.OpenAiTarget;
import dev.agentdock.common.ProblemMapper;
import io.quarkus.logging.Log;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One call relayed by {@link ResponsesRelay}: OpenAI's answer streamed or taken whole, its failures mapped, the
 * client's hang-up turned into a reset of the OpenAI request. Every callback runs on the event loop of the client's
 * request, so nothing is locked.
 */
final class ResponsesCall {

    private static final OpenAiFailures.Call CALL = new OpenAiFailures.Call("responses proxy", "the response", true);
    private static final String REQUEST_ID = "x-request-id";

    private final HttpClient http;
    private final ResponsesConfig config;
    private final ObjectMapper json;
    private final AtomicInteger inFlight;

    private final RoutingContext ctx;
    private final HttpServerResponse out;
    private final OpenAiTarget target;
    private final ResponsesRequest request;
    private final Consumer<String> created;
    private boolean createdSeen;
    private final long startNanos = System.nanoTime();
    private final SseEventCutter cutter = new SseEventCutter();
    private HttpClientRequest upstream;
    private long idleTimer = -1;
    private boolean counted;
    /** A stream's first chunk has come: silences are timed by the stream idle timeout from now on. */
    private boolean streaming;
    private boolean clientGone;
    private boolean answered;

    ResponsesCall(HttpClient http, ResponsesConfig config, ObjectMapper json, AtomicInteger inFlight,
                  RoutingContext ctx, OpenAiTarget target, ResponsesRequest request, Consumer<String> created) {
        this.created = created;
        this.http = http;
        this.config = config;
        this.json = json;
        this.inFlight = inFlight;
        this.ctx = ctx;
        this.out = ctx.response();
        this.target = target;
        this.request = request;
    }

    void start() {
        RequestOptions options;
        try {
            options = new RequestOptions().setMethod(HttpMethod.POST)
                    .setAbsoluteURI(target.baseUrl() + "/responses")
                    .setConnectTimeout(config.connectTimeout().toMillis())
                    .setIdleTimeout(config.firstByteTimeout().toMillis())
                    .putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + target.apiKey())
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .putHeader(HttpHeaders.ACCEPT, request.stream() ? "text/event-stream" : "application/json");
        } catch (IllegalArgumentException e) {
            fail(new DomainException.UpstreamFailed(502, null, "the OpenAI request could not be built", e));
            return;
        }
        inFlight.incrementAndGet();
        counted = true;
        out.closeHandler(v -> clientLeft());
        http.request(options).onComplete(obtained -> {
            if (obtained.failed()) {
                done();
                fail(noAnswer(obtained.cause(), true));
                return;
            }
            upstream = obtained.result();
            // The connection closing is what ends a cancelled call for sure; end, error and reset end others.
            upstream.connection().closeHandler(v -> done());
            if (clientGone) {
                upstream.reset();
                return;
            }
            upstream.send(request.body()).onComplete(sent -> {
                if (sent.succeeded()) {
                    onAnswer(sent.result());
                } else {
                    done();
                    if (!clientGone) {
                        fail(noAnswer(sent.cause(), false));
                    }
                }
            });
        });
    }

    private void onAnswer(HttpClientResponse answer) {
        if (clientGone) {
            upstream.reset();
            return;
        }
        answer.exceptionHandler(e -> {
            if (!answered && !clientGone) {
                broken(noAnswer(e, false));
            }
        });
        int status = answer.statusCode();
        String type = answer.getHeader(HttpHeaders.CONTENT_TYPE);
        if (status / 100 == 2 && request.stream() && type != null && type.startsWith("text/event-stream")) {
            stream(answer, type);
        } else {
            whole(answer, type);
        }
    }

    /**
     * Relays events as they come; the idle timer restarts with every chunk and pauses under backpressure. Until the
     * first chunk, the wait is the first-byte timeout: OpenAI's head alone is no start of the answer (and, as nothing
     * has been written to the client yet, a stall then is still answered with a problem).
     */
    private void stream(HttpClientResponse answer, String type) {
        out.setStatusCode(answer.statusCode()).setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, type)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .putHeader("X-Accel-Buffering", "no");
        copyRequestId(answer);
        answer.handler(chunk -> {
            streaming = true;
            armIdleTimer();
            Buffer events = cutter.accept(chunk);
            if (events != null && !createdSeen) {
                noteCreated(events);
            }
            if (events != null && !answered && !clientGone) {
                out.write(events);
                if (out.writeQueueFull()) {
                    answer.pause();
                    disarmIdleTimer();
                    out.drainHandler(v -> {
                        armIdleTimer();
                        answer.resume();
                    });
                }
            }
        });
        answer.endHandler(v -> {
            disarmIdleTimer();
            done();
            if (answered || clientGone) {
                return;
            }
            answered = true;
            Buffer rest = cutter.rest();
            if (rest == null) {
                out.end();
            } else {
                out.end(rest); // what OpenAI ended with, even if it is no whole event
            }
            Log.debugf("responses proxy: %s stream relayed in %d ms", request.model(), elapsedMs());
        });
        armIdleTimer();
    }

    /** An answer taken in whole: a non-streamed response, or an error to map. */
    private void whole(HttpClientResponse answer, String type) {
        Buffer body = Buffer.buffer();
        answer.handler(chunk -> {
            armIdleTimer();
            body.appendBuffer(chunk);
        });
        answer.endHandler(v -> {
            disarmIdleTimer();
            done();
            int status = answer.statusCode();
            if (status / 100 != 2) {
                fail(OpenAiFailures.status(CALL, status, OpenAiFailures.message(json, body.getBytes(), target.apiKey()),
                        OpenAiFailures.retryAfterSeconds(answer.getHeader("retry-after"),
                                answer.getHeader("retry-after-ms"))));
                return;
            }
            if (answered || clientGone) {
                return;
            }
            answered = true;
            try {
                noteId(json.readTree(body.getBytes()).path("id").asText(null));
            } catch (java.io.IOException | RuntimeException e) {
                Log.debugf("responses proxy: the answer carries no readable response id: %s", e.toString());
            }
            copyRequestId(answer);
            out.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, type == null ? "application/json" : type)
                    .end(body);
            Log.debugf("responses proxy: %s response relayed in %d ms", request.model(), elapsedMs());
        });
        armIdleTimer();
    }

    /** The stream's {@code response.created} event names the response (its first event, as OpenAI streams). */
    private void noteCreated(Buffer events) {
        for (String line : events.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("data:") && line.contains("\"response.created\"")) {
                try {
                    com.fasterxml.jackson.databind.JsonNode event = json.readTree(line.substring(5).trim());
                    if ("response.created".equals(event.path("type").asText())) {
                        noteId(event.path("response").path("id").asText(null));
                        return;
                    }
                } catch (java.io.IOException e) {
                    Log.debugf("responses proxy: unreadable response.created event: %s", e.toString());
                }
            }
        }
    }

    private void noteId(String id) {
        if (id != null && !id.isEmpty() && !createdSeen) {
            createdSeen = true;
            created.accept(id);
        }
    }

    /** OpenAI broke off or fell silent: a problem if nothing was sent yet, else the stream's closing error event. */
    private void broken(DomainException.UpstreamFailed failure) {
        disarmIdleTimer();
        if (answered || clientGone) {
            return;
        }
        answered = true;
        if (upstream != null) {
            upstream.reset(); // its exception handler now finds the call answered
        }
        if (out.headWritten()) {
            out.end(cutter.errorEvent(json, failure));
        } else {
            problem(failure);
        }
    }

    private void fail(DomainException.UpstreamFailed failure) {
        if (answered || clientGone) {
            return;
        }
        answered = true;
        problem(failure);
    }

    private void problem(DomainException.UpstreamFailed failure) {
        ProblemMapper.send(ctx, json, ProblemMapper.problemOf(failure, ctx.normalizedPath()),
                ProblemMapper.headersOf(failure));
    }

    private void clientLeft() {
        if (answered) {
            return;
        }
        clientGone = true;
        disarmIdleTimer();
        if (upstream != null) {
            Log.debugf("responses proxy: client left after %d ms; cancelling the OpenAI call", elapsedMs());
            upstream.reset();
        }
    }

    private void armIdleTimer() {
        disarmIdleTimer();
        Duration limit = streaming ? config.streamIdleTimeout() : config.firstByteTimeout();
        idleTimer = ctx.vertx().setTimer(limit.toMillis(), id -> {
            idleTimer = -1;
            broken(OpenAiFailures.noAnswer(CALL, OpenAiFailures.NoAnswer.STALLED, limit, null));
        });
    }

    private void disarmIdleTimer() {
        if (idleTimer >= 0) {
            ctx.vertx().cancelTimer(idleTimer);
            idleTimer = -1;
        }
    }

    /** Counts the call out once, whichever of end, failure or connection close comes first. */
    private void done() {
        if (counted) {
            counted = false;
            inFlight.decrementAndGet();
        }
    }

    private void copyRequestId(HttpClientResponse answer) {
        String id = answer.getHeader(REQUEST_ID);
        if (id != null) {
            out.putHeader(REQUEST_ID, id);
        }
    }

    private DomainException.UpstreamFailed noAnswer(Throwable e, boolean connecting) {
        if (e instanceof io.netty.channel.ConnectTimeoutException || (connecting && e instanceof TimeoutException)) {
            return OpenAiFailures.noAnswer(CALL, OpenAiFailures.NoAnswer.CONNECT_TIMEOUT, config.connectTimeout(), e);
        }
        if (e instanceof TimeoutException) {
            return OpenAiFailures.noAnswer(CALL, OpenAiFailures.NoAnswer.TIMEOUT, config.firstByteTimeout(), e);
        }
        if (e instanceof ConnectException || e instanceof UnknownHostException) {
            return OpenAiFailures.noAnswer(CALL, OpenAiFailures.NoAnswer.UNREACHABLE, null, e);
        }
        return OpenAiFailures.noAnswer(CALL, OpenAiFailures.NoAnswer.BROKEN, null, e);
    }

    private long elapsedMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
