package dev.agentdock.common;

import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import dev.langchain4j.http.client.sse.ServerSentEventParsingHandle;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.impl.VertxInternal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * LangChain4j's HTTP client SPI ({@link dev.langchain4j.http.client.HttpClient}) on a pooled, keep-alive Vert.x
 * HTTP/1.1 client, so the stock {@code OpenAiStreamingChatModel} builds the requests and reads the replies while the
 * connections stay open between calls.
 *
 * <p>Why not the client Quarkus plugs in by default (its REST client): its SSE support closes the connection at the
 * end of every stream, so each model call paid a new TCP (and, against OpenAI, TLS) handshake, and under load a pooled
 * connection could be handed to the next call just before that close, failing it with "Connection was closed". Here a
 * stream that ends normally leaves its connection in the pool; only a cancelled or broken call closes it.
 *
 * <p>Events are read as they arrive, on the connection's event loop, without a thread blocked on an input stream:
 * the {@link ServerSentEventParser} a caller passes (which reads an {@code InputStream}) is not used; the fields are
 * split here as the SSE specification says (see {@link EventLines}). A non-2xx answer is read to its end (so the
 * connection goes back to the pool) and reported as an {@link UpstreamHttpException}: its status, its body and the
 * upstream's {@code Retry-After}.
 */
public final class KeepAliveHttpClient implements dev.langchain4j.http.client.HttpClient {

    private final HttpClient http;
    private final Duration readTimeout;
    /**
     * Where a blocking call's request runs: an event loop of its own, never the caller's context. Started from a
     * thread on a worker context (a {@code @Blocking} resource's), the request's callbacks would queue behind the
     * very task that waits for them, and the call would only end at its timeout.
     */
    private final Context loop;

    private KeepAliveHttpClient(Vertx vertx, Duration connectTimeout, Duration readTimeout, int maxConnections) {
        this.readTimeout = readTimeout;
        this.loop = ((VertxInternal) vertx).createEventLoopContext();
        this.http = vertx.createHttpClient(new HttpClientOptions()
                        .setProtocolVersion(HttpVersion.HTTP_1_1)
                        .setConnectTimeout((int) connectTimeout.toMillis())
                        .setKeepAlive(true)
                        .setKeepAliveTimeout(30)
                        .setTryUseCompression(false),
                new PoolOptions().setHttp1MaxSize(maxConnections));
    }

    public void close() {
        http.close();
    }

    /** A plain request/answer (LangChain4j's non-streaming calls); blocks the calling thread until the answer. */
    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        CompletableFuture<SuccessfulHttpResponse> answered = new CompletableFuture<>();
        loop.runOnContext(v -> http.request(options(request))
                .compose(sent -> sent.send(body(request)))
                .compose(response -> response.body().map(body -> answer(response, body)))
                .onComplete(done -> {
                    if (done.succeeded()) {
                        answered.complete(done.result());
                    } else {
                        answered.completeExceptionally(done.cause());
                    }
                }));
        try {
            return answered.get(readTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new RuntimeException(e.getCause());
        } catch (TimeoutException e) {
            throw new dev.langchain4j.exception.TimeoutException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeException(e);
        }
    }

    private static SuccessfulHttpResponse answer(HttpClientResponse response, Buffer body) {
        if (response.statusCode() / 100 != 2) {
            throw new UpstreamHttpException(response.statusCode(), body.toString(),
                    UpstreamHttpException.retryAfterMs(response.headers()));
        }
        return SuccessfulHttpResponse.builder().statusCode(response.statusCode()).headers(headers(response.headers()))
                .body(body.toString()).build();
    }

    /** Starts a streamed call and returns at once; the listener hears it on an event loop. */
    @Override
    public void execute(HttpRequest request, ServerSentEventParser ignored, ServerSentEventListener listener) {
        Call call = new Call(listener);
        CallCapture.bind(call);
        http.request(options(request)).onComplete(obtained -> {
            if (obtained.failed()) {
                call.fail(obtained.cause());
                return;
            }
            HttpClientRequest upstream = obtained.result();
            if (!call.bind(upstream)) {
                return;
            }
            upstream.send(body(request)).onComplete(sent -> {
                if (sent.failed()) {
                    call.fail(sent.cause());
                } else {
                    call.answered(sent.result());
                }
            });
        });
    }

    private RequestOptions options(HttpRequest request) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.valueOf(request.method().name()))
                .setAbsoluteURI(request.url())
                // a call whose upstream says nothing for this long is over; a stream's own shorter silences are
                // the run's watchdog's business
                .setIdleTimeout(readTimeout.toMillis());
        request.headers().forEach((name, values) -> values.forEach(value -> options.addHeader(name, value)));
        return options;
    }

    private static Buffer body(HttpRequest request) {
        return request.body() == null ? Buffer.buffer() : Buffer.buffer(request.body());
    }

    private static Map<String, List<String>> headers(MultiMap headers) {
        Map<String, List<String>> all = new LinkedHashMap<>();
        headers.forEach(e -> all.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return all;
    }

    /** One streamed call, which is also its cancellation handle: cancel from any thread and the listener hears no more. */
    public static final class Call implements ServerSentEventParsingHandle {
        private final ServerSentEventListener listener;
        private final ServerSentEventContext context;
        /** The call has ended one way or another: the listener hears nothing more. */
        private final AtomicBoolean over = new AtomicBoolean();
        /** It ended by {@link #cancel()} (LangChain4j then skips its completion and error callbacks). */
        private volatile boolean cancelled;
        private final EventLines lines = new EventLines();
        private volatile HttpClientRequest upstream;

        private Call(ServerSentEventListener listener) {
            this.listener = listener;
            this.context = new ServerSentEventContext(this);
        }

        /** Ends the call now and closes its connection (a half-read stream cannot go back to the pool). */
        @Override
        public void cancel() {
            cancelled = true;
            end();
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        private boolean bind(HttpClientRequest request) {
            upstream = request;
            if (over.get()) {
                request.reset();
                return false;
            }
            return true;
        }

        private void answered(HttpClientResponse response) {
            if (response.statusCode() / 100 != 2) {
                // read to the end, so the connection goes back to the pool
                response.body().onComplete(read -> {
                    if (over.compareAndSet(false, true)) {
                        listener.onError(new UpstreamHttpException(response.statusCode(),
                                read.succeeded() ? read.result().toString() : "",
                                UpstreamHttpException.retryAfterMs(response.headers())));
                    }
                });
                return;
            }
            listener.onOpen(SuccessfulHttpResponse.builder().statusCode(response.statusCode())
                    .headers(headers(response.headers())).build());
            response.exceptionHandler(this::fail);
            response.handler(buffer -> lines.feed(buffer, this::event));
            response.endHandler(v -> {
                lines.finish(this::event);
                if (over.compareAndSet(false, true)) {
                    listener.onClose();
                }
            });
        }

        private void event(ServerSentEvent event) {
            if (over.get()) {
                return;
            }
            try {
                listener.onEvent(event, context);
            } catch (RuntimeException e) {
                // a listener that cannot take an event (one that is not a chunk) ends the call; otherwise the failure
                // would vanish inside the HTTP client and look like a stall
                fail(e);
            }
        }

        private void fail(Throwable error) {
            if (end()) {
                listener.onError(error);
            }
        }

        /** Marks the call over and drops its connection; answers false if it was over already. */
        private boolean end() {
            if (!over.compareAndSet(false, true)) {
                return false;
            }
            HttpClientRequest request = upstream;
            if (request != null) {
                request.reset();
            }
            return true;
        }
    }

    /**
     * Splits an SSE byte stream into events: {@code event:} and {@code data:} fields up to a blank line (several
     * {@code data:} lines join with a newline); comments and other fields are skipped, a line split across chunks
     * waits for its end. Not thread-safe: one per call.
     */
    public static final class EventLines {
        private Buffer pending;
        private String event;
        private StringBuilder data;

        public void feed(Buffer chunk, Consumer<ServerSentEvent> sink) {
            Buffer buffer = pending == null ? chunk : pending.appendBuffer(chunk);
            int start = 0;
            int length = buffer.length();
            for (int i = 0; i < length; i++) {
                if (buffer.getByte(i) == '\n') {
                    int end = i > start && buffer.getByte(i - 1) == '\r' ? i - 1 : i;
                    line(buffer, start, end, sink);
                    start = i + 1;
                }
            }
            pending = start == length ? null : buffer.getBuffer(start, length);
        }

        /** The stream ended: an event its upstream did not close with a blank line still counts. */
        public void finish(Consumer<ServerSentEvent> sink) {
            if (pending != null) {
                Buffer rest = pending;
                pending = null;
                line(rest, 0, rest.length(), sink);
            }
            dispatch(sink);
        }

        private void line(Buffer buffer, int start, int end, Consumer<ServerSentEvent> sink) {
            if (start == end) {
                dispatch(sink);
            } else if (field(buffer, start, end, "data:")) {
                String value = value(buffer, start + 5, end);
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            } else if (field(buffer, start, end, "event:")) {
                event = value(buffer, start + 6, end);
            }
        }

        private void dispatch(Consumer<ServerSentEvent> sink) {
            if (data != null) {
                ServerSentEvent complete = new ServerSentEvent(event, data.toString());
                event = null;
                data = null;
                sink.accept(complete);
            }
            event = null;
        }

        /** Whether the line starts with {@code name} (ASCII), compared byte by byte: this runs for every line. */
        private static boolean field(Buffer buffer, int start, int end, String name) {
            if (end - start < name.length()) {
                return false;
            }
            for (int i = 0; i < name.length(); i++) {
                if (buffer.getByte(start + i) != name.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private static String value(Buffer buffer, int from, int end) {
            if (from < end && buffer.getByte(from) == ' ') {
                from++;
            }
            return buffer.getString(from, end, "UTF-8");
        }
    }

    /**
     * Lets the caller of a streaming chat model hold the call's handle from the moment the call starts, before its
     * first event (the stock model hands its handle out only with an event): the model starts the HTTP call on the
     * caller's thread, inside {@link #capturing}.
     */
    public static final class CallCapture {
        private static final ThreadLocal<Consumer<Call>> WAITING = new ThreadLocal<>();

        public static void capturing(Consumer<Call> onStart, Runnable start) {
            WAITING.set(onStart);
            try {
                start.run();
            } finally {
                WAITING.remove();
            }
        }

        private static void bind(Call call) {
            Consumer<Call> waiting = WAITING.get();
            if (waiting != null) {
                WAITING.remove();
                waiting.accept(call);
            }
        }
    }

    /**
     * Made by LangChain4j's model builders with their timeouts; the pool's size is ours. A model has one
     * {@code timeout}, which it sets as both the connect and the read timeout: the connect side is capped at
     * {@link #MAX_CONNECT_TIMEOUT} (an upstream that takes longer to accept a connection is down, and a turn should
     * say so in seconds, not after the read timeout of a long answer).
     */
    public static final class Builder implements HttpClientBuilder {
        static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(5);
        private final Vertx vertx;
        private final int maxConnections;
        private Duration connectTimeout = MAX_CONNECT_TIMEOUT;
        private Duration readTimeout = Duration.ofSeconds(60);
        private final List<KeepAliveHttpClient> built = new java.util.concurrent.CopyOnWriteArrayList<>();

        public Builder(Vertx vertx, int maxConnections) {
            this.vertx = vertx;
            this.maxConnections = maxConnections;
        }

        @Override
        public Duration connectTimeout() {
            return connectTimeout;
        }

        @Override
        public Builder connectTimeout(Duration timeout) {
            if (timeout != null) {
                connectTimeout = timeout.compareTo(MAX_CONNECT_TIMEOUT) < 0 ? timeout : MAX_CONNECT_TIMEOUT;
            }
            return this;
        }

        @Override
        public Duration readTimeout() {
            return readTimeout;
        }

        @Override
        public Builder readTimeout(Duration timeout) {
            if (timeout != null) {
                readTimeout = timeout;
            }
            return this;
        }

        @Override
        public KeepAliveHttpClient build() {
            KeepAliveHttpClient client = new KeepAliveHttpClient(vertx, connectTimeout, readTimeout, maxConnections);
            built.add(client);
            return client;
        }

        /** Closes the pools of every client this builder made (the model that holds them has no close of its own). */
        public void close() {
            built.forEach(KeepAliveHttpClient::close);
            built.clear();
        }
    }
}
