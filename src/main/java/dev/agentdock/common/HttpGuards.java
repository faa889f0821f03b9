package dev.agentdock.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers what never reaches a resource in problem+json too: bodies over the size limit (checked on the declared
 * length before anything is read; Vert.x still enforces the same limit on chunked bodies), paths no route serves,
 * and paths with {@code ;} parameters. The REST layer strips {@code ;…} from a segment while path-based rules (the
 * security policy, CORS) see it, so such a path could mean two things; no route of this service takes matrix
 * parameters, so it is a 400 before anything else looks at it.
 */
@ApplicationScoped
public class HttpGuards {

    private final ObjectMapper json;
    private final long maxBodyBytes;

    HttpGuards(ObjectMapper json, @ConfigProperty(name = "agentdock.http.max-body-bytes", defaultValue = "1048576") long maxBodyBytes) {
        this.json = json;
        this.maxBodyBytes = maxBodyBytes;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::guard);
        router.route().last().handler(ctx -> write(ctx, Problem.of(404, "not-found",
                "no resource at " + ctx.normalizedPath(), ctx.normalizedPath())));
    }

    private void guard(RoutingContext ctx) {
        if (ctx.request().path() != null && ctx.request().path().indexOf(';') >= 0) {
            write(ctx, Problem.of(400, "bad-request", "path segments may not carry ';' parameters", ctx.request().path()));
            return;
        }
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > maxBodyBytes) {
                    ctx.request().pause();
                    write(ctx, Problem.of(413, "payload-too-large",
                            "the request body is larger than " + maxBodyBytes + " bytes", ctx.normalizedPath()));
                    return;
                }
            } catch (NumberFormatException e) {
                write(ctx, Problem.of(400, "bad-request", "Content-Length is not a number", ctx.normalizedPath()));
                return;
            }
        }
        ctx.next();
    }

    private void write(RoutingContext ctx, Problem problem) {
        try {
            ctx.response().setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
            if (ctx.request().version() != HttpVersion.HTTP_2) {
                // a connection-specific header is a protocol error in HTTP/2
                ctx.response().putHeader(HttpHeaders.CONNECTION, problem.status() == 413 ? "close" : "keep-alive");
            }
            ctx.response().end(json.writeValueAsString(problem));
        } catch (Exception e) {
            ctx.fail(e);
        }
    }
}
