package dev.agentdock.run.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.agentdock.common.OpenAiTarget;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.model.openai.internal.chat.ChatCompletionRequest;
import dev.langchain4j.model.openai.internal.chat.ChatCompletionResponse;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Streaming Chat Completions calls on a pooled, keep-alive HTTP/1.1 client: the request is LangChain4j's
 * {@link ChatCompletionRequest}, each SSE {@code data:} line becomes its {@link ChatCompletionResponse}.
 *
 * <p>Why not the Quarkus REST client under LangChain4j's {@code OpenAiClient}: its SSE support closes the connection
 * at the end of every stream, so each model call paid a new TCP (and, against OpenAI, TLS) handshake, and under load
 * a pooled connection could be handed to the next call just before that close, failing it with "Connection was
 * closed". Here a stream that ends normally leaves its connection in the pool; only a cancelled call closes it.
 */
public final class ChatCompletionStreams {

    /** What a call reports; exactly one of {@link #completed()} and {@link #failed} comes last. */
    public interface Listener {
        void chunk(ChatCompletionResponse chunk);

        void completed();

        void failed(Throwable error);
    }

    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final HttpClient http;
    private final OpenAiTarget target;
    private final Duration readTimeout;

    public ChatCompletionStreams(Vertx vertx, OpenAiTarget target, Duration connectTimeout, Duration readTimeout,
                                 int maxConnections) {
        this.target = target;
        this.readTimeout = readTimeout;
        this.http = vertx.createHttpClient(new HttpClientOptions()
                        .setProtocolVersion(HttpVersion.HTTP_1_1)
                        .setConnectTimeout((int) connectTimeout.toMillis())
                        .setKeepAlive(true)
                        .setKeepAliveTimeout(30)
                        .setTryUseCompression(false),
                new PoolOptions().setHttp1MaxSize(maxConnections));
    }

    /** Starts the call; events arrive on an event loop. */
    public Call start(ChatCompletionRequest request, Listener listener) {
        Call call = new Call(listener);
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(request);
        } catch (IOException e) {
            call.fail(e);
            return call;
        }
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
                .setAbsoluteURI(target.baseUrl() + "/chat/completions")
                // until the answer's head: a stream's own silences are the run's watchdog's business
                .setIdleTimeout(readTimeout.toMillis())
                .putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + target.apiKey())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.ACCEPT, "text/event-stream");
        http.request(options).onComplete(obtained -> {
            if (obtained.failed()) {
                call.fail(obtained.cause());
                return;
            }
            HttpClientRequest upstream = obtained.result();
            if (!call.bind(upstream)) {
                return;
            }
            upstream.send(Buffer.buffer(body)).onComplete(sent -> {
                if (sent.failed()) {
                    call.fail(sent.cause());
                } else {
                    call.answered(sent.result());
                }
            });
        });
        return call;
    }

    public void close() {
        http.close();
    }

    /** One call: cancel it from any thread; after that, the listener hears nothing more. */
    public static final class Call {
        private final Listener listener;
        private final AtomicBoolean over = new AtomicBoolean();
        private volatile HttpClientRequest upstream;
        private final DataLines lines = new DataLines();

        private Call(Listener listener) {
            this.listener = listener;
        }

        /** Ends the call now and closes its connection (a half-read stream cannot go back to the pool). */
        public void cancel() {
            end();
        }

        public boolean isCancelled() {
            return over.get();
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
            if (response.statusCode() != 200) {
                // read to the end, so the connection goes back to the pool
                response.body().onComplete(read -> {
                    if (over.compareAndSet(false, true)) {
                        listener.failed(new UpstreamHttpException(response.statusCode(),
                                read.succeeded() ? read.result().toString() : "",
                                UpstreamHttpException.retryAfterMs(response.headers())));
                    }
                });
                return;
            }
            response.exceptionHandler(this::fail);
            response.handler(buffer -> lines.feed(buffer, this::data));
            response.endHandler(v -> {
                if (over.compareAndSet(false, true)) {
                    listener.completed();
                }
            });
        }

        private void data(String payload) {
            if (over.get() || payload.equals("[DONE]")) {
                return;
            }
            ChatCompletionResponse chunk;
            try {
                chunk = JSON.readValue(payload, ChatCompletionResponse.class);
            } catch (IOException e) {
                fail(new IOException("upstream sent an event that is not a chat completion chunk: "
                        + (payload.length() > 200 ? payload.substring(0, 200) + "…" : payload), e));
                return;
            }
            listener.chunk(chunk);
        }

        private void fail(Throwable error) {
            if (end()) {
                listener.failed(error);
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
     * Splits an SSE byte stream into the values of its {@code data:} fields, one per line (OpenAI sends each event
     * as one {@code data:} line); a line split across chunks waits for its end. Not thread-safe: one per call.
     */
    static final class DataLines {
        private Buffer pending;

        void feed(Buffer chunk, java.util.function.Consumer<String> data) {
            Buffer buffer = pending == null ? chunk : pending.appendBuffer(chunk);
            int start = 0;
            int length = buffer.length();
            for (int i = 0; i < length; i++) {
                if (buffer.getByte(i) == '\n') {
                    int end = i > start && buffer.getByte(i - 1) == '\r' ? i - 1 : i;
                    emit(buffer, start, end, data);
                    start = i + 1;
                }
            }
            pending = start == length ? null : buffer.getBuffer(start, length);
        }

        private static void emit(Buffer buffer, int start, int end, java.util.function.Consumer<String> data) {
            if (end - start < 5 || buffer.getByte(start) != 'd' || !buffer.getString(start, start + 5).equals("data:")) {
                return; // blank separators, comments, event names, ids
            }
            int from = start + 5;
            if (from < end && buffer.getByte(from) == ' ') {
                from++;
            }
            data.accept(buffer.getString(from, end, "UTF-8"));
        }
    }
}
