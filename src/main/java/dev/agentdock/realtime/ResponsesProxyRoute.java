package dev.agentdock.realtime;

import dev.agentdock.common.ModelAllowlist;
import dev.agentdock.auth.RateLimitGroup;
import dev.agentdock.auth.RateLimiter;
import dev.agentdock.auth.CallerIdentityProvider;
import dev.agentdock.common.OpenAiTarget;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.common.DomainException;
import dev.agentdock.common.OpenAiEndpoints;
import dev.agentdock.common.Problem;
import dev.agentdock.common.ProblemMapper;
import io.quarkus.logging.Log;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code POST /api/responses}: the OpenAI Responses API behind the server's key, for models of the allowlist.
 * A Vert.x route rather than a JAX-RS resource because a stream's bytes are relayed as they arrive, under the
 * status OpenAI answers with, which is only known once it answers. Authentication and the {@code responses} rate
 * limit are applied first: Quarkus Security's policy (every {@code /api} route) and {@link RateLimiter#routeHandler}.
 */
@ApplicationScoped
public class ResponsesProxyRoute {

    static final String PATH = "/api/responses";

    private final ObjectMapper json;
    private final ResponsesConfig config;
    private final OpenAiEndpoints openAi;
    private final ResponsesRelay relay;
    private final RateLimiter limiter;
    private final ModelAllowlist models;
    private final ResponseOwners owners;
    private final long maxBodyBytes;

    ResponsesProxyRoute(ObjectMapper json, ResponsesConfig config, OpenAiEndpoints openAi, ResponsesRelay relay,
                        RateLimiter limiter, ModelAllowlist models, ResponseOwners owners,
                        @ConfigProperty(name = "agentdock.http.max-body-bytes", defaultValue = "1048576") long maxBodyBytes) {
        this.owners = owners;
        this.json = json;
        this.config = config;
        this.openAi = openAi;
        this.relay = relay;
        this.limiter = limiter;
        this.models = models;
        this.maxBodyBytes = maxBodyBytes;
    }

    void install(@Observes Router router) {
        router.route(PATH).handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
                .handler(limiter.routeHandler(RateLimitGroup.RESPONSES, json))
                .handler(this::handle)
                .failureHandler(this::failed);
    }

    private void handle(RoutingContext ctx) {
        if (ctx.request().method() != HttpMethod.POST) {
            send(ctx, Problem.of(405, "method-not-allowed", "method not allowed on " + PATH, PATH), Map.of("Allow", "POST"));
            return;
        }
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            send(ctx, Problem.of(415, "unsupported-media-type", "unsupported content type; send application/json", PATH),
                    Map.of());
            return;
        }
        try {
            ResponsesRequest request = ResponsesRequest.parse(json, ctx.body().buffer(), models, config, PATH);
            OpenAiTarget target = openAi.resolve();
            String user = CallerIdentityProvider.callerOf(ctx).userId();
            if (request.previousResponseId() == null) {
                relay.relay(ctx, target, request, id -> owners.record(id, user));
                return;
            }
            Context requestContext = Vertx.currentContext();
            owners.owns(request.previousResponseId(), user).subscribe().with(
                    owned -> requestContext.runOnContext(v -> {
                        if (owned) {
                            relay.relay(ctx, target, request, id -> owners.record(id, user));
                        } else {
                            // another user's response and one that never existed look the same
                            DomainException missing = new DomainException.NotFound("previous_response_id",
                                    request.previousResponseId());
                            send(ctx, ProblemMapper.problemOf(missing, PATH), Map.of());
                        }
                    }),
                    failure -> requestContext.runOnContext(v -> {
                        DomainException unknown = new DomainException.Unavailable(
                                "the owner of previous_response_id cannot be checked right now; try again");
                        send(ctx, ProblemMapper.problemOf(unknown, PATH), ProblemMapper.headersOf(unknown));
                    }));
        } catch (ResponsesRequest.Unreadable e) {
            send(ctx, e.problem(), Map.of());
        } catch (DomainException e) {
            send(ctx, ProblemMapper.problemOf(e, PATH), ProblemMapper.headersOf(e));
        }
    }

    /** The body handler refuses chunked bodies over the limit (declared lengths are refused before, by HttpGuards). */
    private void failed(RoutingContext ctx) {
        if (ctx.statusCode() == 413) {
            send(ctx, Problem.of(413, "payload-too-large", "the request body is larger than " + maxBodyBytes + " bytes",
                    PATH), Map.of("Connection", "close"));
            return;
        }
        Log.errorf(ctx.failure(), "request to %s failed", PATH);
        send(ctx, Problem.of(500, "internal", "unexpected failure; it has been logged", PATH), Map.of());
    }

    private void send(RoutingContext ctx, Problem problem, Map<String, String> headers) {
        ProblemMapper.send(ctx, json, problem, headers);
    }
}
