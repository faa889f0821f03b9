package dev.agentdock.guard;

import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code POST /api/moderate}: the decision on a text a client is about to send or show. */
@Authenticated
@Path("/api/moderate")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ModerateResource {

    public record ModerateBody(@NotBlank String text, @NotNull Stage stage) {
    }

    private final Moderator moderator;

    ModerateResource(Moderator moderator) {
        this.moderator = moderator;
    }

    @POST
    @RunOnVirtualThread
    public ModerationDecision moderate(@Valid @NotNull ModerateBody body) {
        return moderator.moderate(body.text(), body.stage());
    }
}
