package dev.agentdock.realtime;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A tiny OpenAI stand-in on a random port: answers {@code POST /v1/realtime/client_secrets} and
 * {@code POST /v1/responses} the way the test asks ({@link #answer}), and keeps every request it received.
 */
public class FakeOpenAi implements QuarkusTestResourceLifecycleManager {

    public static final String SERVER_KEY = "sk-test-SERVERKEY-7f3a9c";

    /** How the next requests are answered. */
    public enum Answer {
        OK, UNAUTHORIZED, RATE_LIMITED, SERVER_ERROR, BAD_REQUEST, HANG, NOT_JSON, RESET,
        /** 200 with its headers at once ({@code text/event-stream} when the request asked for a stream), then nothing. */
        HEADERS_THEN_STALL
    }

    /** The {@code x-request-id} that {@link Answer#HEADERS_THEN_STALL} answers with. */
    public static final String STALLED_REQUEST_ID = "req_headers_then_stall";

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Inject {
    }

    /** A request as it arrived: {@code raw} is the body's exact text. */
    public record Received(String path, String authorization, JsonObject body, String raw) {
    }

    public volatile Answer answer = Answer.OK;
    public final List<Received> received = new CopyOnWriteArrayList<>();
    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        try {
            HttpServer server = vertx.createHttpServer().requestHandler(this::handle).listen(0)
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            return Map.of("agentdock.openai.base-url", "http://127.0.0.1:" + server.actualPort() + "/v1",
                    "agentdock.openai.api-key", SERVER_KEY);
        } catch (Exception e) {
            throw new IllegalStateException("fake OpenAI did not start", e);
        }
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(this, new TestInjector.AnnotatedAndMatchesType(Inject.class, FakeOpenAi.class));
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close();
        }
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(buffer -> {
            JsonObject body = buffer.length() == 0 ? new JsonObject() : buffer.toJsonObject();
            received.add(new Received(request.path(), request.getHeader("Authorization"), body, buffer.toString()));
            boolean known = request.path().equals("/v1/realtime/client_secrets") || request.path().equals("/v1/responses");
            if (!known || request.method().name().equals("GET")) {
                reply(request, 404, "{\"error\":{\"message\":\"no route\"}}");
                return;
            }
            switch (answer) {
                case OK -> reply(request, 200, request.path().equals("/v1/responses")
                        ? new JsonObject().put("id", "resp_test_" + received.size()).put("object", "response")
                                .put("status", "completed").put("model", body.getString("model")).encode()
                        : new JsonObject().put("value", "ek_test_" + received.size())
                                .put("expires_at", 1_900_000_000L)
                                .put("session", body.getJsonObject("session")).encode());
                case UNAUTHORIZED -> reply(request, 401, "{\"error\":{\"message\":\"Incorrect API key provided: sk-test-S******7f3a9c. You can find your API key at https://platform.openai.com.\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");
                case RATE_LIMITED -> {
                    request.response().putHeader("retry-after", "7");
                    reply(request, 429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\"}}");
                }
                case SERVER_ERROR -> reply(request, 500, "{\"error\":{\"message\":\"The server had an error\"}}");
                case BAD_REQUEST -> reply(request, 400, "{\"error\":{\"message\":\"Invalid value: 'shouty'. Supported values are: 'alloy', 'sage'. Key used: " + SERVER_KEY + "\",\"param\":\"session.audio.output.voice\"}}");
                case NOT_JSON -> reply(request, 200, "<html>gateway</html>");
                case RESET -> request.connection().close();
                case HANG -> { } // never answers: the client's request timeout must fire
                case HEADERS_THEN_STALL -> request.response().setStatusCode(200).setChunked(true)
                        .putHeader("Content-Type", body.getBoolean("stream", false) ? "text/event-stream; charset=utf-8"
                                : "application/json")
                        .putHeader("x-request-id", STALLED_REQUEST_ID)
                        .write(Buffer.buffer()); // sends the head alone; no event, no body ever follows
            }
        });
    }

    private static void reply(HttpServerRequest request, int status, String body) {
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
    }
}
