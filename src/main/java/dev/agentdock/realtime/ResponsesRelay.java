package dev.agentdock.realtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.common.OpenAiTarget;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Carries Responses API calls to OpenAI with the server's key and OpenAI's answers back ({@link ResponsesCall}):
 * a stream is relayed chunk by chunk as it arrives (whole SSE events, see {@link SseEventCutter}) with backpressure
 * both ways, and ends with an {@code error} event if OpenAI breaks off or falls silent; anything else comes back in
 * one piece. Failures before the first byte are problem+json ({@link OpenAiFailures}). A client that leaves cancels
 * the OpenAI call. Owns the pooled HTTP client and the in-flight gauge.
 */
@ApplicationScoped
public class ResponsesRelay {

    private final HttpClient http;
    private final ResponsesConfig config;
    private final ObjectMapper json;
    private final AtomicInteger inFlight = new AtomicInteger();

    ResponsesRelay(Vertx vertx, ResponsesConfig config, ObjectMapper json, MeterRegistry meters) {
        this.config = config;
        this.json = json;
        // HTTP/1.1, one connection per stream; no compression asked for, so bytes pass through as OpenAI sent them
        this.http = vertx.createHttpClient(new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setMaxPoolSize(config.maxConnections())
                .setKeepAliveTimeout(30)
                .setTryUseCompression(false));
        Gauge.builder("agentdock.responses.upstream.open", inFlight, AtomicInteger::get)
                .description("Responses API calls to OpenAI in flight on this instance").register(meters);
    }

    @PreDestroy
    void close() {
        http.close();
    }

    /**
     * Relays {@code request} to {@code target} and its answer to {@code ctx}'s response, handing the id of the
     * response OpenAI created to {@code created}. Call on the event loop.
     */
    void relay(RoutingContext ctx, OpenAiTarget target, ResponsesRequest request, Consumer<String> created) {
        new ResponsesCall(http, config, json, inFlight, ctx, target, request, created).start();
    }

    /** Calls in flight right now (for the gauge and tests): each holds an OpenAI connection. */
    int inFlight() {
        return inFlight.get();
    }
}
