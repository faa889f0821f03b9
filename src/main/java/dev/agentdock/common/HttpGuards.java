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
 * past that), paths no route serves, request targets that cannot be read (malformed percent-escapes, escapes that are not
 * UTF-8, NUL; Quarkus's own check, which answers them bare, is off, {@link Main}), and paths with {@code ;} parameters. The REST layer strips {@code ;…} from a segment while path-based rules (the
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

    /** The management interface (/q/metrics) reads request targets too: the same check, before its own routes. */
    void install(@Observes io.quarkus.vertx.http.ManagementInterface management) {
        management.router().route().order(Integer.MIN_VALUE).handler(ctx -> {
            String malformed = malformedTarget(ctx.request().uri());
            if (malformed != null) {
                write(ctx, Problem.of(400, "bad-request", malformed, null));
            } else {
                ctx.next();
            }
        });
    }

    private void guard(RoutingContext ctx) {
        String malformed = malformedTarget(ctx.request().uri());
        if (malformed != null) {
            // no instance: the target is what cannot be read
            write(ctx, Problem.of(400, "bad-request", malformed, null));
            return;
        }
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

    /**
     * Why a raw request target cannot be read, or null: it is not a URI reference ({@link java.net.URI}'s grammar,
     * the check Quarkus would run itself, {@link Main}), a {@code %} escape is not two hex digits, the escaped bytes
     * are not UTF-8, or it carries a NUL.
     */
    static String malformedTarget(String uri) {
        if (uri == null || uri.isEmpty()) {
            return "the request target is empty";
        }
        try {
            new java.net.URI(uri);
        } catch (java.net.URISyntaxException e) {
            return "the request target is not a valid URI";
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(uri.length());
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '%') {
                int hi = i + 2 < uri.length() ? Character.digit(uri.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(uri.charAt(i + 2), 16) : -1;
                if (lo < 0) {
                    return "the request target has a malformed percent-escape";
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                byte[] raw = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                bytes.write(raw, 0, raw.length);
            }
        }
        byte[] decoded = bytes.toByteArray();
        try {
            java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(decoded));
        } catch (java.nio.charset.CharacterCodingException e) {
            return "the request target's percent-escapes are not UTF-8";
        }
        for (byte b : decoded) {
            if (b == 0) {
                return "the request target carries a NUL character";
            }
        }
        return null;
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
