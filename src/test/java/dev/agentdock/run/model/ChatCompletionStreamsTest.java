package dev.agentdock.run.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentdock.common.OpenAiTarget;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.model.openai.internal.chat.ChatCompletionRequest;
import dev.langchain4j.model.openai.internal.chat.ChatCompletionResponse;
import dev.langchain4j.model.openai.internal.chat.UserMessage;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The model transport against a scripted local server: keep-alive, SSE parsing, failures and cancellation. */
class ChatCompletionStreamsTest {

    private static Vertx vertx;
    private static HttpServer server;
    private static final AtomicInteger connections = new AtomicInteger();
    private static final AtomicInteger closedConnections = new AtomicInteger();
    private static final ConcurrentLinkedQueue<String> bodies = new ConcurrentLinkedQueue<>();
    private static volatile Consumer<HttpServerRequest> script;

    private ChatCompletionStreams streams;

    @BeforeAll
    static void startServer() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer()
                .connectionHandler(c -> {
                    connections.incrementAndGet();
                    c.closeHandler(v -> closedConnections.incrementAndGet());
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
        connections.set(0);
        closedConnections.set(0);
        bodies.clear();
        streams = new ChatCompletionStreams(vertx, new OpenAiTarget("http://127.0.0.1:" + server.actualPort() + "/v1",
                "sk-test", true), Duration.ofSeconds(2), Duration.ofSeconds(5), 8);
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

    private record Outcome(List<ChatCompletionResponse> chunks, Throwable error) {
        String text() {
            StringBuilder sb = new StringBuilder();
            chunks.forEach(c -> sb.append(c.choices().getFirst().delta().content()));
            return sb.toString();
        }
    }

    private Outcome call() throws Exception {
        List<ChatCompletionResponse> chunks = new ArrayList<>();
        CompletableFuture<Throwable> end = new CompletableFuture<>();
        streams.start(request(), new ChatCompletionStreams.Listener() {
            public void chunk(ChatCompletionResponse chunk) {
                chunks.add(chunk);
            }

            public void completed() {
                end.complete(null);
            }

            public void failed(Throwable error) {
                end.complete(error);
            }
        });
        Throwable error = end.get(10, TimeUnit.SECONDS);
        return new Outcome(chunks, error);
    }

    private static ChatCompletionRequest request() {
        return ChatCompletionRequest.builder().model("gpt-4o-mini").stream(true)
                .messages(List.of(UserMessage.from("hi"))).build();
    }

    @Test
    void chunksSplitAnywhereAreReassembledAndTheConnectionIsReused() throws Exception {
        script = ChatCompletionStreamsTest::splitStream;
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
        assertThat(bodies).allSatisfy(b -> assertThat(b).startsWith("Bearer sk-test /v1/chat/completions {")
                .contains("\"model\":\"gpt-4o-mini\"").contains("\"stream\":true").contains("\"content\":\"hi\""));
    }

    @Test
    void anErrorStatusBecomesAnHttpExceptionWithTheBodyAndKeepsTheConnection() throws Exception {
        script = r -> r.response().setStatusCode(429).putHeader("Content-Type", "application/json")
                .end("{\"error\":{\"message\":\"slow down\"}}");
        Outcome outcome = call();
        assertThat(outcome.error()).isInstanceOf(HttpException.class);
        assertThat(((HttpException) outcome.error()).statusCode()).isEqualTo(429);
        assertThat(outcome.error().getMessage()).contains("slow down");
        assertThat(UpstreamFailure.from(outcome.error()).isRateLimit()).isTrue();
        Thread.sleep(50); // as above: the connection is back in the pool just after the callback
        script = ChatCompletionStreamsTest::splitStream;
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
        assertThat(outcome.error()).hasMessageContaining("not a chat completion chunk").hasMessageContaining("{not json");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> closedConnections.get() == 1);
    }

    @Test
    void cancellingClosesTheConnectionAndSilencesTheListener() throws Exception {
        CompletableFuture<Void> served = new CompletableFuture<>();
        script = r -> {
            r.response().setChunked(true).putHeader("Content-Type", "text/event-stream")
                    .write("data: " + chunk("first") + "\n\n");
            served.complete(null);
        };
        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<Void> first = new CompletableFuture<>();
        ChatCompletionStreams.Call call = streams.start(request(), new ChatCompletionStreams.Listener() {
            public void chunk(ChatCompletionResponse chunk) {
                heard.add("chunk");
                first.complete(null);
            }

            public void completed() {
                heard.add("completed");
            }

            public void failed(Throwable error) {
                heard.add("failed");
            }
        });
        first.get(10, TimeUnit.SECONDS);
        call.cancel();
        assertThat(call.isCancelled()).isTrue();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> closedConnections.get() == 1);
        Thread.sleep(100);
        assertThat(heard).containsExactly("chunk");
    }

    @Test
    void aRefusedConnectionFailsAsAConnectionError() throws Exception {
        int port;
        try (var probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        streams = new ChatCompletionStreams(vertx, new OpenAiTarget("http://127.0.0.1:" + port + "/v1", "k", true),
                Duration.ofSeconds(2), Duration.ofSeconds(5), 8);
        Outcome outcome = call();
        assertThat(outcome.error()).isNotNull();
        assertThat(UpstreamFailure.from(outcome.error()).reason()).startsWith("upstream connection failed");
    }

    @Test
    void anHttpsTargetIsSpokenToOverTls() throws Exception {
        // the plain-HTTP test server cannot answer a TLS handshake: the call must fail in TLS, not go out in clear
        script = ChatCompletionStreamsTest::splitStream;
        streams = new ChatCompletionStreams(vertx, new OpenAiTarget("https://127.0.0.1:" + server.actualPort() + "/v1",
                "sk-test", false), Duration.ofSeconds(2), Duration.ofSeconds(5), 8);
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
