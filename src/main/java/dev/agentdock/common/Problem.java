package dev.agentdock.common;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/** An RFC 9457 problem document. The one shape every error of the service takes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance,
                      List<DomainException.FieldError> errors, Map<String, Object> extensions) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://agentdock.dev/problems/";

    public static Problem of(int status, String slug, String detail, String instance) {
        return new Problem(TYPE_BASE + slug, Response.Status.fromStatusCode(status) != null
                ? Response.Status.fromStatusCode(status).getReasonPhrase() : titleFor(status),
                status, detail, instance, null, null);
    }

    /** Extension members are written at the top level of the document, as RFC 9457 asks. */
    @Override
    @JsonAnyGetter
    @JsonIgnore
    public Map<String, Object> extensions() {
        return extensions == null ? Map.of() : extensions;
    }

    public Problem withErrors(List<DomainException.FieldError> fieldErrors) {
        return new Problem(type, title, status, detail, instance, fieldErrors, extensions);
    }

    public Problem withExtensions(Map<String, Object> extra) {
        return new Problem(type, title, status, detail, instance, errors, extra);
    }

    public Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }

    private static String titleFor(int status) {
        return switch (status) {
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            default -> "HTTP " + status;
        };
    }
}
