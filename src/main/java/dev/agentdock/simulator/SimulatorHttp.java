package dev.agentdock.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.arc.properties.IfBuildProperty;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * Plumbing shared by the simulator routes: body limit, bearer check, JSON in/out and OpenAI-shaped errors,
 * including the simulated failures that happen before any reply is produced.
 */
@Singleton
@IfBuildProperty(name = "agentdock.simulator.enabled", stringValue = "true")
class SimulatorHttp {

    private static final Logger LOG = Logger.getLogger(SimulatorHttp.class);
    private static final long BODY_LIMIT = 8L * 1024 * 1024;
    private static final int REMEMBERED_CONVERSATIONS = 10_000;

    @Inject
    ObjectMapper mapper;

    @Inject
    Vertx vertx;

    @Inject
    SimulatorConfig config;

    @Inject
    OpenStreams openStreams;

    // Only on our own routes: the rest of the app must not get its bodies buffered by us.
    private final BodyHandler bodyHandler = BodyHandler.create(false).setBodyLimit(BODY_LIMIT);

    // Conversations that already got their one 429; LRU-bounded so a long benchmark cannot grow it without limit.
    private final Map<Long, Boolean> rateLimitedOnce = Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
                    return size() > REMEMBERED_CONVERSATIONS;
                }
            });

    /**
     * Registers {@code POST path}: reads the body (bounded), checks the bearer token, parses JSON (an empty body
     * becomes {@code {}} when {@code emptyBodyAllowed}) and hands over on the event loop.
     */
    void post(Router router, String path, boolean emptyBodyAllowed, BiConsumer<RoutingContext, JsonNode> handler) {
        router.post(path).handler(bodyHandler).handler(ctx -> {
            if (!hasBearer(ctx)) {
                error(ctx, 401, "invalid_request_error", null,
                        "You didn't provide an API key. You need to provide your API key in an Authorization header "
                                + "using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).");
                return;
            }
            JsonNode body;
            Buffer raw = ctx.body().buffer();
            try {
                body = raw == null || raw.length() == 0
                        ? (emptyBodyAllowed ? mapper.createObjectNode() : null)
                        : mapper.readTree(raw.getBytes());
            } catch (java.io.IOException e) {
                body = null;
            }
            if (body == null || !body.isObject()) {
                error(ctx, 400, "invalid_request_error", null,
                        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using "
                                + "your HTTP library correctly. The OpenAI API expects a JSON payload.)");
                return;
            }
            try {
                handler.accept(ctx, body);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Simulator failed on %s", path);
                if (!ctx.response().headWritten()) {
                    error(ctx, 500, "server_error", null, "The simulator failed: " + e.getMessage());
                }
            }
        });
    }

    /**
     * Answers the failures that replace the whole response (401, 429, 429-once, 500) and returns true if it did.
     * {@code conversationKey} identifies "the same request again" for {@code 429-once}.
     */
    boolean failedEarly(RoutingContext ctx, Markers.Failure failure, String conversationKey) {
        switch (failure) {
            // as OpenAI does, the message quotes the credential it was sent: the service must never pass it on
            case UNAUTHORIZED -> error(ctx, 401, "invalid_request_error", "invalid_api_key",
                    "Incorrect API key provided: " + ctx.request().getHeader("Authorization") + " (simulated).");
            case RATE_LIMIT -> rateLimited(ctx);
            case RATE_LIMIT_ONCE -> {
                if (rateLimitedOnce.putIfAbsent(ReplyScript.hash(conversationKey), Boolean.TRUE) != null) {
                    return false;
                }
                rateLimited(ctx);
            }
            case SERVER_ERROR -> error(ctx, 500, "server_error", null,
                    "The server had an error while processing your request. Sorry about that! (simulated)");
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * Non-streamed variants of the broken replies: cut closes without a response, stall never answers, malformed
     * sends a 200 whose body is not JSON. Returns true if it took over the response.
     */
    boolean brokeNonStreamed(RoutingContext ctx, ReplyPlan plan) {
        switch (plan.failure()) {
            case CUT -> later(ctx, plan.ttftMs(), () -> cut(ctx));
            case STALL -> stall(ctx);
            case MALFORMED -> later(ctx, plan.totalDelayMs(), () -> ctx.response().setStatusCode(200)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end("{not json"));
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Writes a JSON object with the given status. */
    void json(RoutingContext ctx, int status, Object body) {
        String json;
        try {
            json = mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ctx.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(json);
    }

    /** OpenAI's error envelope: {@code {"error":{"message","type","param","code"}}}. */
    void error(RoutingContext ctx, int status, String type, String code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("type", type);
        error.put("param", null);
        error.put("code", code);
        json(ctx, status, Map.of("error", error));
    }

    ObjectNode newObject() {
        return mapper.createObjectNode();
    }

    String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Closes the connection without a response: what a crashed upstream or a cut proxy looks like. */
    void cut(RoutingContext ctx) {
        ctx.request().connection().close();
    }

    /** A non-streamed reply after the time a real model would have needed, without blocking the event loop. */
    void later(RoutingContext ctx, long delayMs, Runnable action) {
        if (delayMs <= 0) {
            action.run();
            return;
        }
        long timer = vertx.setTimer(delayMs, id -> {
            if (!ctx.response().closed() && !ctx.response().ended()) {
                action.run();
            }
        });
        ctx.response().closeHandler(v -> vertx.cancelTimer(timer));
    }

    /** A non-streamed stall: never answer, close after the stall timeout unless the client gave up first. */
    void stall(RoutingContext ctx) {
        long timer = vertx.setTimer(config.stallTimeout().toMillis(), id -> cut(ctx));
        ctx.response().closeHandler(v -> vertx.cancelTimer(timer));
    }

    SseStream stream(RoutingContext ctx) {
        return new SseStream(vertx, ctx, config.stallTimeout().toMillis(), openStreams.counter());
    }

    private void rateLimited(RoutingContext ctx) {
        ctx.response().putHeader("retry-after-ms", "50");
        error(ctx, 429, "rate_limit_exceeded", "rate_limit_exceeded",
                "Rate limit reached (simulated). Please try again in 50ms.");
    }

    private static boolean hasBearer(RoutingContext ctx) {
        String auth = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        return auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) && !auth.substring(7).isBlank();
    }
}
