package dev.agentdock.run.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentdock.common.KeepAliveHttpClient;
import dev.agentdock.common.OpenAiTarget;
import dev.agentdock.common.UpstreamHttpException;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * LangChain4j's stock OpenAI streaming model on the keep-alive transport, against a scripted local server: keep-alive,
 * SSE parsing, failures by type and status, and cancellation (before and after the first chunk).
 */
class KeepAliveHttpClientTest {

    private static Vertx vertx;
    private static HttpServer server;
    private static final AtomicInteger connections = new AtomicInteger();
    private static final AtomicInteger closedConnections = new AtomicInteger();
    /** Which test a connection belongs to: a connection the last test's pool closes late must not count in this one. */
    private static volatile int generation;
    private static final ConcurrentLinkedQueue<String> bodies = new ConcurrentLinkedQueue<>();
    private static volatile Consumer<HttpServerRequest> script;

    private KeepAliveHttpClient.Builder transport;
    private CancellableOpenAiStreamingModel model;

    @BeforeAll
    static void startServer() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer()
                .connectionHandler(c -> {
                    int opened = generation;
                    connections.incrementAndGet();
                    c.closeHandler(v -> {
                        if (opened == generation) {
                            closedConnections.incrementAndGet();
                        }
                    });
                })
                .requestHandler(request -> request.body().onSuccess(b -> {
                    bodies.add(request.getHeader("Authorization") + " " + request.path() + " " + b);
                    script.accept(request);
                }))
                .listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopServer() {
        vertx.close();
    }

    @BeforeEach
    void fresh() {
        generation++;
        connections.set(0);
        closedConnections.set(0);
        bodies.clear();
        model = model("http://127.0.0.1:" + server.actualPort() + "/v1");
    }

    @AfterEach
    void closePool() {
        transport.close();
    }

    private CancellableOpenAiStreamingModel model(String baseUrl) {
        if (transport != null) {
            transport.close();
        }
        transport = new KeepAliveHttpClient.Builder(vertx, 8);
        return new CancellableOpenAiStreamingModel(transport, new OpenAiTarget(baseUrl, "sk-test", true),
                Duration.ofSeconds(5));
    }

    private static String chunk(String content) {
        return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
                + content + "\"},\"finish_reason\":null}]}";
    }

    /** A stream whose bytes arrive in awkward pieces: lines split mid-way, CRLF, a comment, a multi-byte character. */
    private static void splitStream(HttpServerRequest request) {
        var response = request.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
        String all = ": keep-alive comment\r\n\r\ndata: " + chunk("Hé") + "\r\n\r\ndata:" + chunk("llo 🎉") + "\n\n"
                + "data: [DONE]\n\n";
        byte[] bytes = all.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int[] cuts = {5, 31, 60, 61, 62, bytes.length - 3};
        int from = 0;
        for (int cut : cuts) {
            response.write(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, from, cut)));
            from = cut;
        }
        response.end(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, from, bytes.length)));
    }

    private record Outcome(List<String> partials, ChatResponse response, Throwable error) {
        String text() {
            return String.join("", partials);
        }
    }

    /** A handler that records what it hears, in order. */
    private static final class Heard implements StreamingChatResponseHandler {
        final List<String> partials = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        final CompletableFuture<Void> first = new CompletableFuture<>();
        final CompletableFuture<Outcome> end = new CompletableFuture<>();

        @Override
        public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
            partials.add(partial.text());
            calls.add("partial");
            first.complete(null);
        }

        @Override
        public void onCompleteResponse(ChatResponse response) {
            calls.add("complete");
            end.complete(new Outcome(partials, response, null));
        }

        @Override
        public void onError(Throwable error) {
            calls.add("error");
            end.complete(new Outcome(partials, null, error));
        }
    }

    private Outcome call() throws Exception {
        Heard heard = new Heard();
        model.stream(request(), heard);
        return heard.end.get(10, TimeUnit.SECONDS);
    }

    private static ChatRequest request() {
        return ChatRequest.builder().modelName("gpt-4o-mini").messages(UserMessage.from("hi")).build();
    }

    @Test
    void chunksSplitAnywhereAreReassembledAndTheConnectionIsReused() throws Exception {
        script = KeepAliveHttpClientTest::splitStream;
        for (int i = 0; i < 3; i++) {
            Outcome outcome = call();
            assertThat(outcome.error()).isNull();
            assertThat(outcome.text()).isEqualTo("Héllo 🎉");
            // the connection goes back to the pool right after the end callback returns, on its event loop; a call
            // started in that instant from another thread would open a second one (harmless, but not what this
            // test is about), so the next call comes a moment later, as a run's next model call does
            Thread.sleep(50);
        }
        assertThat(connections.get()).as("three sequential streams, one connection").isEqualTo(1);
        assertThat(closedConnections.get()).isZero();
        assertThat(bodies).hasSize(3).allSatisfy(b -> {
            assertThat(b).startsWith("Bearer sk-test /v1/chat/completions {");
            com.fasterxml.jackson.databind.JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(b.substring(b.indexOf('{')));
            assertThat(body.path("model").asText()).isEqualTo("gpt-4o-mini");
            assertThat(body.path("stream").asBoolean()).isTrue();
            assertThat(body.at("/messages/0/content").asText()).isEqualTo("hi");
        });
    }

    @Test
    void anErrorStatusBecomesAnHttpExceptionWithTheBodyAndKeepsTheConnection() throws Exception {
        script = r -> r.response().setStatusCode(429).putHeader("Content-Type", "application/json")
                .end("{\"error\":{\"message\":\"slow down\"}}");
        Outcome outcome = call();
        // LangChain4j maps the status to its own type; the transport's exception, with the body, is its cause
        assertThat(outcome.error()).isInstanceOf(dev.langchain4j.exception.RateLimitException.class)
                .hasRootCauseInstanceOf(UpstreamHttpException.class);
        assertThat(outcome.error()).rootCause().hasMessageContaining("slow down");
        assertThat(UpstreamFailure.from(outcome.error()).isRateLimit()).isTrue();
        Thread.sleep(50); // as above: the connection is back in the pool just after the callback
        script = KeepAliveHttpClientTest::splitStream;
        assertThat(call().error()).isNull();
        assertThat(connections.get()).isEqualTo(1);
    }

    @Test
    void aStreamCutMidwayFailsAsAConnectionLoss() throws Exception {
        script = r -> r.response().setChunked(true).putHeader("Content-Type", "text/event-stream")
                .write("data: " + chunk("partial") + "\n\n").onComplete(v -> r.connection().close());
        Outcome outcome = call();
        assertThat(outcome.text()).isEqualTo("partial");
        assertThat(outcome.error()).isNotNull();
        assertThat(UpstreamFailure.from(outcome.error()).isConnectionLoss()).isTrue();
    }

    @Test
    void anEventThatIsNotAChunkFailsTheCallAndClosesItsConnection() throws Exception {
        script = r -> r.response().setChunked(true).putHeader("Content-Type", "text/event-stream")
                .write("data: " + chunk("ok") + "\n\ndata: {not json\n\n");
        Outcome outcome = call();
        assertThat(outcome.text()).isEqualTo("ok");
        assertThat(outcome.error()).isNotNull();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> closedConnections.get() == 1);
    }

    @Test
    void cancellingClosesTheConnectionAndSilencesTheListener() throws Exception {
        script = r -> r.response().setChunked(true).putHeader("Content-Type", "text/event-stream")
                .write("data: " + chunk("first") + "\n\n");
        Heard heard = new Heard();
        StreamingHandle handle = model.stream(request(), heard);
        heard.first.get(10, TimeUnit.SECONDS);
        handle.cancel();
        assertThat(handle.isCancelled()).isTrue();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> closedConnections.get() == 1);
        Thread.sleep(100);
        assertThat(heard.calls).containsExactly("partial");
    }

    @Test
    void aCancelBeforeTheFirstChunkClosesTheConnectionAtOnce() throws Exception {
        CompletableFuture<Void> asked = new CompletableFuture<>();
        script = r -> {
            // the head and nothing else: the model has not said its first token yet
            r.response().setChunked(true).putHeader("Content-Type", "text/event-stream").write(": thinking\n\n");
            asked.complete(null);
        };
        Heard heard = new Heard();
        StreamingHandle handle = model.stream(request(), heard);
        asked.get(10, TimeUnit.SECONDS);
        handle.cancel();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> closedConnections.get() == 1);
        Thread.sleep(100);
        assertThat(heard.calls).isEmpty();
    }

    /**
     * A blocking call (moderation, the classifier) made from a thread on a Vert.x worker context, as a {@code @Blocking}
     * resource's is: its answer must not wait for that context, which is busy waiting for it.
     */
    @Test
    void aBlockingCallFromAWorkerContextIsAnswered() throws Exception {
        script = r -> r.response().putHeader("Content-Type", "application/json").end("{\"ok\":true}");
        KeepAliveHttpClient client = new KeepAliveHttpClient.Builder(vertx, 2).readTimeout(Duration.ofSeconds(3)).build();
        CompletableFuture<String> body = new CompletableFuture<>();
        io.vertx.core.Context worker = ((io.vertx.core.impl.VertxInternal) vertx).createWorkerContext();
        worker.runOnContext(v -> {
            try {
                body.complete(client.execute(dev.langchain4j.http.client.HttpRequest.builder()
                        .method(dev.langchain4j.http.client.HttpMethod.POST)
                        .url("http://127.0.0.1:" + server.actualPort() + "/v1/moderations")
                        .addHeader("Content-Type", "application/json").body("{}").build()).body());
            } catch (RuntimeException e) {
                body.completeExceptionally(e);
            }
        });
        try {
            assertThat(body.get(10, TimeUnit.SECONDS)).isEqualTo("{\"ok\":true}");
        } finally {
            client.close();
        }
    }

    @Test
    void eventsFollowTheSseRules() {
        KeepAliveHttpClient.EventLines lines = new KeepAliveHttpClient.EventLines();
        List<ServerSentEvent> events = new ArrayList<>();
        lines.feed(Buffer.buffer("event: first\ndata: a\ndata:b\n\n: comment\nid: 7\nretry: 10\ndata: c"), events::add);
        assertThat(events).containsExactly(new ServerSentEvent("first", "a\nb"));
        lines.feed(Buffer.buffer("\r\n\r\nevent: only-a-name\n\ndata: last"), events::add);
        lines.finish(events::add);
        assertThat(events).containsExactly(new ServerSentEvent("first", "a\nb"), new ServerSentEvent(null, "c"),
                new ServerSentEvent(null, "last"));
    }

    @Test
    void aRefusedConnectionFailsAsAConnectionError() throws Exception {
        int port;
        try (var probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        model = model("http://127.0.0.1:" + port + "/v1");
        Outcome outcome = call();
        assertThat(outcome.error()).isNotNull();
        assertThat(UpstreamFailure.from(outcome.error()).reason()).startsWith("upstream connection failed");
    }

    @Test
    void anHttpsTargetIsSpokenToOverTls() throws Exception {
        // the plain-HTTP test server cannot answer a TLS handshake: the call must fail in TLS, not go out in clear
        script = KeepAliveHttpClientTest::splitStream;
        model = model("https://127.0.0.1:" + server.actualPort() + "/v1");
        Outcome outcome = call();
        assertThat(outcome.error()).isNotNull();
        assertThat(bodies).isEmpty();
        Throwable root = outcome.error();
        StringBuilder chain = new StringBuilder();
        for (Throwable t = root; t != null; t = t.getCause()) {
            chain.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
        }
        assertThat(chain.toString()).containsIgnoringCase("ssl");
    }
}
