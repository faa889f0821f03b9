package dev.agentdock.auth;

import dev.agentdock.common.DomainException;
import dev.agentdock.common.ProblemMapper;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import java.lang.annotation.Annotation;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;

/**
 * Counts a request against the {@link RateLimited} group of the resource method it matched, after authentication
 * (the count is per caller). Over the limit is a 429 problem with {@code Retry-After}.
 */
@ApplicationScoped
public class RateLimitFilter {

    private final RateLimiter limiter;
    private final CurrentUser user;

    RateLimitFilter(RateLimiter limiter, CurrentUser user) {
        this.limiter = limiter;
        this.user = user;
    }

    @ServerRequestFilter
    public Uni<Response> limit(ContainerRequestContext request, ResourceInfo resource) {
        RateLimitGroup group = groupOf(resource);
        if (group == null) {
            return Uni.createFrom().nullItem();
        }
        return limiter.hit(group, user.caller())
                .replaceWith((Response) null)
                .onFailure(DomainException.class).recoverWithItem(e -> ProblemMapper.response((DomainException) e,
                        request.getUriInfo().getPath()));
    }

    static RateLimitGroup groupOf(ResourceInfo resource) {
        if (resource == null || resource.getResourceClass() == null) {
            return null;
        }
        // RESTEasy Reactive keeps the method's annotations without reflection (native-friendly)
        Annotation[] onMethod = resource instanceof ResteasyReactiveResourceInfo info ? info.getAnnotations()
                : resource.getResourceMethod().getAnnotations();
        RateLimitGroup group = groupIn(onMethod);
        return group != null ? group : groupIn(resource.getResourceClass().getAnnotations());
    }

    private static RateLimitGroup groupIn(Annotation[] annotations) {
        if (annotations != null) {
            for (Annotation annotation : annotations) {
                if (annotation instanceof RateLimited limited) {
                    return limited.value();
                }
            }
        }
        return null;
    }
}
