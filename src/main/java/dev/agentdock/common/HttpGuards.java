package dev.agentdock.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers what never reaches a resource in problem+json too: bodies over the size limit (checked on the declared
 * length before anything is read; a chunked body, which declares none, is read here with the same limit), request
 * targets and header blocks over their limits (414, 431; Vert.x's own limits sit above them and answer bare only
 * past that), paths no route serves, and paths with {@code ;} parameters. The REST layer strips {@code ;…} from a segment while path-based rules (the
 * security policy, CORS) see it, so such a path could mean two things; no route of this service takes matrix
 * parameters, so it is a 400 before anything else looks at it.
 */
@ApplicationScoped
public class HttpGuards {

    private final ObjectMapper json;
    private final long maxBodyBytes;
    private final int maxUriBytes;
    private final int maxHeaderBytes;

    HttpGuards(ObjectMapper json,
               @ConfigProperty(name = "agentdock.http.max-body-bytes", defaultValue = "1048576") long maxBodyBytes,
               @ConfigProperty(name = "agentdock.http.max-uri-bytes", defaultValue = "8192") int maxUriBytes,
               @ConfigProperty(name = "agentdock.http.max-header-bytes", defaultValue = "16384") int maxHeaderBytes) {
        this.json = json;
        this.maxBodyBytes = maxBodyBytes;
        this.maxUriBytes = maxUriBytes;
        this.maxHeaderBytes = maxHeaderBytes;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::guard);
        BodyHandler chunkedBodies = BodyHandler.create(false).setBodyLimit(maxBodyBytes);
        router.route().order(Integer.MIN_VALUE + 1).handler(ctx -> {
            if (ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH) == null
                    && ctx.request().getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
                chunkedBodies.handle(ctx);
            } else {
                ctx.next();
            }
        });
        router.route().order(Integer.MIN_VALUE).failureHandler(this::failure);
        for (int status : new int[] {400, 413, 414, 431}) {
            router.errorHandler(status, this::failure);
        }
        router.route().last().handler(ctx -> write(ctx, Problem.of(404, "not-found",
                "no resource at " + ctx.normalizedPath(), ctx.normalizedPath())));
    }

    private void guard(RoutingContext ctx) {
        if (ctx.request().path() != null && ctx.request().path().indexOf(';') >= 0) {
            write(ctx, Problem.of(400, "bad-request", "path segments may not carry ';' parameters", ctx.request().path()));
            return;
        }
        if (ctx.request().uri().length() > maxUriBytes) {
            write(ctx, Problem.of(414, "uri-too-long",
                    "the request target is longer than " + maxUriBytes + " bytes", null));
            return;
        }
        long headerBytes = 0;
        for (var header : ctx.request().headers()) {
            headerBytes += header.getKey().length() + header.getValue().length() + 4;
        }
        if (headerBytes > maxHeaderBytes) {
            write(ctx, Problem.of(431, "headers-too-large",
                    "the request headers are larger than " + maxHeaderBytes + " bytes", ctx.normalizedPath()));
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

    /** Failures Vert.x raises before a resource runs (the chunked body's limit, a malformed request) as documents. */
    private void failure(RoutingContext ctx) {
        int status = ctx.statusCode();
        if (ctx.response().headWritten() || (status != 400 && status != 413 && status != 414 && status != 431)) {
            ctx.next();
            return;
        }
        String slug = switch (status) {
            case 413 -> "payload-too-large";
            case 414 -> "uri-too-long";
            case 431 -> "headers-too-large";
            default -> "bad-request";
        };
        String detail = switch (status) {
            case 413 -> "the request body is larger than " + maxBodyBytes + " bytes";
            case 414 -> "the request target is too long";
            case 431 -> "the request headers are too large";
            default -> "the request is malformed";
        };
        write(ctx, Problem.of(status, slug, detail, null));
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
