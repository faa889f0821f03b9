package dev.agentdock.auth;

import dev.agentdock.common.DomainException;
import dev.agentdock.common.ProblemMapper;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Refusals of the second layer of the gate, the resources' own {@code @Authenticated} (and
 * {@code deny-unannotated-endpoints}): the HTTP permission policy normally refuses first ({@link AuthFailureHandler}),
 * but where it would not, a resource refuses its anonymous caller in the same problem+json, not the bare 401 of
 * Quarkus's built-in mapper.
 */
public class SecurityRefusalMapper {

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class, ForbiddenException.class})
    public Response refused(RuntimeException e, UriInfo uri) {
        DomainException refusal = AuthFailureHandler.refusalOf(e);
        return ProblemMapper.response(refusal, uri.getPath());
    }
}
