package dev.agentdock.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.logging.Log;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * One place that turns every failure into {@code application/problem+json}: domain exceptions, bean validation,
 * JSON that does not parse or does not fit, JAX-RS routing errors, and — last — anything unexpected, which is
 * logged with its stack trace and answered without one.
 */
public class ProblemMapper {

    @ServerExceptionMapper
    public Response domain(DomainException e, UriInfo uri) {
        return response(e, path(uri));
    }

    /** The problem response of a domain exception, with its headers; also for request filters. */
    public static Response response(DomainException e, String path) {
        Problem problem = problemOf(e, path);
        Response.ResponseBuilder response = Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
        headersOf(e).forEach(response::header);
        return response.build();
    }

    /** The problem document for a domain exception; also used where no JAX-RS resource is involved (route filters). */
    public static Problem problemOf(DomainException e, String path) {
        return switch (e) {
            case DomainException.NotFound nf -> Problem.of(404, nf.type(), nf.getMessage(), path);
            case DomainException.Conflict c -> Problem.of(409, c.type(), c.getMessage(), path);
            case DomainException.Invalid inv ->
                    Problem.of(422, inv.type(), inv.getMessage(), path).withErrors(inv.errors());
            case DomainException.Unauthorized u -> Problem.of(401, u.type(), u.getMessage(), path);
            case DomainException.Forbidden f -> Problem.of(403, f.type(), f.getMessage(), path);
            case DomainException.QuotaExceeded q -> Problem.of(422, q.type(), q.getMessage(), path);
            case DomainException.TooLarge t -> Problem.of(413, t.type(), t.getMessage(), path);
            case DomainException.Unavailable u -> Problem.of(503, u.type(), u.getMessage(), path);
            case DomainException.RateLimited rl -> Problem.of(429, rl.type(), rl.getMessage(), path)
                    .withExtensions(Map.of("retry_after", rl.retryAfterSeconds()));
            case DomainException.UpstreamFailed up -> {
                Map<String, Object> ext = new LinkedHashMap<>();
                if (up.upstreamStatus() != null) {
                    ext.put("upstream_status", up.upstreamStatus());
                }
                if (up.retryAfterSeconds() != null) {
                    ext.put("retry_after", up.retryAfterSeconds());
                }
                yield Problem.of(up.status(), up.type(), up.getMessage(), path).withExtensions(ext);
            }
            default -> Problem.of(500, "internal", "unexpected failure", path);
        };
    }

    /** The response headers a domain exception asks for (Retry-After, WWW-Authenticate). */
    public static Map<String, String> headersOf(DomainException e) {
        return switch (e) {
            case DomainException.RateLimited rl -> Map.of("Retry-After", Long.toString(rl.retryAfterSeconds()));
            case DomainException.UpstreamFailed up when up.retryAfterSeconds() != null ->
                    Map.of("Retry-After", Long.toString(up.retryAfterSeconds()));
            case DomainException.Unauthorized u -> Map.of("WWW-Authenticate", u.challenge());
            case DomainException.Unavailable u -> Map.of("Retry-After", "2");
            default -> Map.of();
        };
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, UriInfo uri) {
        List<DomainException.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new DomainException.FieldError(fieldOf(v), v.getMessage()))
                .sorted((a, b) -> a.field().compareTo(b.field()))
                .toList();
        String detail = errors.stream().map(err -> err.field() + ": " + err.message())
                .collect(Collectors.joining("; "));
        return Problem.of(422, "invalid-request", detail, path(uri)).withErrors(errors).toResponse();
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        return jsonProblem(e, uri).toResponse();
    }

    /** Declared for the exact type so it wins over the built-in mapper Quarkus REST Jackson brings for it. */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
        return jsonProblem(e, uri).toResponse();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException jpe) {
            return jsonProblem(jpe, uri).toResponse();
        }
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status < 400) {
            return e.getResponse(); // not a problem: an answer without a body (a re-join past a run's end: 204)
        }
        if (status >= 500) {
            Log.errorf(e, "request to %s failed", path(uri));
            return Problem.of(status, "internal", "the request could not be completed", path(uri)).toResponse();
        }
        String detail = switch (status) {
            case 404 -> "no resource at " + path(uri);
            case 405 -> "method not allowed on " + path(uri);
            case 406 -> "none of the accepted media types can be produced";
            case 415 -> "unsupported content type; send application/json";
            case 400 -> e.getMessage() == null ? "bad request" : e.getMessage();
            default -> e.getMessage();
        };
        Response response = Problem.of(status, slugFor(status), detail, path(uri)).toResponse();
        if (status == 405 && e.getResponse().getHeaderString("Allow") != null) {
            return Response.fromResponse(response).header("Allow", e.getResponse().getHeaderString("Allow")).build();
        }
        return response;
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        if (StorageFailures.isUnavailable(e)) {
            return storageUnavailable(e, uri);
        }
        Log.errorf(e, "unexpected failure on %s", path(uri));
        return Problem.of(500, "internal", "unexpected failure; it has been logged", path(uri)).toResponse();
    }

    private static final java.util.concurrent.atomic.AtomicLong lastStorageWarning = new java.util.concurrent.atomic.AtomicLong();

    /** The database is out of reach: a 503 the client may retry, logged once per ten seconds, not per request. */
    private static Response storageUnavailable(Exception e, UriInfo uri) {
        long now = System.currentTimeMillis();
        long last = lastStorageWarning.get();
        if (now - last > 10_000 && lastStorageWarning.compareAndSet(last, now)) {
            Log.warnf("the database is unreachable; answering 503 (%s on %s)", e.getMessage(), path(uri));
        }
        return Response.fromResponse(Problem.of(503, "storage-unavailable",
                        "the database is unavailable; retry shortly", path(uri)).toResponse())
                .header("Retry-After", "2").build();
    }

    private static Problem jsonProblem(JsonProcessingException e, UriInfo uri) {
        return jsonProblem(e, path(uri));
    }

    /** The 400 for a body that is not JSON, or not JSON of the expected shape; also for routes outside JAX-RS. */
    public static Problem jsonProblem(JsonProcessingException e, String path) {
        if (e instanceof UnrecognizedPropertyException upe) {
            String field = pathOf(upe);
            return Problem.of(400, "unknown-field", "unknown field '" + field + "'", path)
                    .withErrors(List.of(new DomainException.FieldError(field, "unknown field")));
        }
        if (e instanceof InvalidFormatException ife && ife.getTargetType() != null && ife.getTargetType().isEnum()) {
            String field = pathOf(ife);
            String allowed = Arrays.stream(ife.getTargetType().getEnumConstants())
                    .map(c -> c.toString().toLowerCase()).collect(Collectors.joining(", "));
            return Problem.of(400, "invalid-value", field + ": '" + ife.getValue() + "' is not one of " + allowed, path)
                    .withErrors(List.of(new DomainException.FieldError(field, "must be one of " + allowed)));
        }
        if (e instanceof MismatchedInputException mie) {
            String expected = mie.getTargetType() == null ? "another type" : simpleType(mie.getTargetType());
            return wrongType(pathOf(mie), expected, path);
        }
        String where = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")) {
            // STRICT_DUPLICATE_DETECTION (common/StrictJson): say which key, not just "not valid"
            return Problem.of(400, "malformed-json", "the request body is not valid JSON" + where + ": "
                    + e.getOriginalMessage().replaceAll("[\\r\\n]+", " "), path);
        }
        if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("text may not contain a NUL")) {
            return Problem.of(400, "invalid-text", e.getOriginalMessage() + where, path);
        }
        return Problem.of(400, "malformed-json", "the request body is not valid JSON" + where, path);
    }

    /** The 400 for a field of the wrong JSON type ({@code expected}: string, number, object...); "" = the body itself. */
    public static Problem wrongType(String field, String expected, String path) {
        String detail = field.isEmpty() ? "the request body does not have the expected shape"
                : field + ": wrong type, expected " + expected;
        return Problem.of(400, "invalid-json", detail, path)
                .withErrors(field.isEmpty() ? null : List.of(new DomainException.FieldError(field, "expected " + expected)));
    }

    /**
     * Answers a problem from a Vert.x route (filters and routes outside JAX-RS), with the headers it asks for.
     * Nothing is written when the response has already been ended.
     */
    public static void send(RoutingContext ctx, ObjectMapper json, Problem problem, Map<String, String> headers) {
        if (ctx.response().ended()) {
            return;
        }
        try {
            String body = json.writeValueAsString(problem);
            ctx.response().setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
            headers.forEach(ctx.response()::putHeader);
            ctx.response().end(body);
        } catch (JsonProcessingException e) {
            ctx.fail(e);
        }
    }

    private static String pathOf(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String simpleType(Class<?> type) {
        if (type == String.class || type.isEnum()) {
            return "string";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "boolean";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "array";
        }
        return "object";
    }

    private static String fieldOf(ConstraintViolation<?> v) {
        // "chat.body.sessionId" → "session_id": drop the method and parameter names, speak the JSON's names
        String[] parts = v.getPropertyPath().toString().split("\\.");
        String field = parts.length <= 2 ? parts[parts.length - 1]
                : String.join(".", Arrays.copyOfRange(parts, 2, parts.length));
        return field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
    }

    private static String slugFor(int status) {
        return switch (status) {
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 415 -> "unsupported-media-type";
            default -> "bad-request";
        };
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getPath();
    }
}
