package dev.agentdock.context;

import io.quarkus.security.Authenticated;
import dev.agentdock.auth.CurrentUser;
import dev.agentdock.common.DomainException;
import dev.agentdock.guard.ModerationDecision;
import dev.agentdock.guard.Moderator;
import dev.agentdock.guard.Stage;
import dev.agentdock.tool.ProjectContext;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code POST /api/context/snapshot}: a context block for the root agent's instructions, assembled from stored data
 * (the caller's recent sessions and drafts in the project) and the page the user is on, with PII redacted and the
 * length capped.
 */
@Authenticated
@Path("/api/context/snapshot")
public class ContextSnapshotResource {

    public record Page(@Size(max = 2000) String path, @Size(max = 500) String title) {
    }

    public record SnapshotRequest(@Valid Page page, @Size(max = 200) String projectId, @Size(max = 200) String userId) {
    }

    public record Snapshot(String contextBlock, List<String> sources, boolean truncated) {
    }

    private final ProjectContext projects;
    private final Moderator moderator;
    private final CurrentUser user;
    private final int maxChars;

    ContextSnapshotResource(ProjectContext projects, Moderator moderator, CurrentUser user,
                            @ConfigProperty(name = "agentdock.context.max-chars", defaultValue = "4000") int maxChars) {
        this.projects = projects;
        this.moderator = moderator;
        this.user = user;
        this.maxChars = maxChars;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RunOnVirtualThread
    public Snapshot snapshot(@Valid @NotNull SnapshotRequest request) {
        String caller = user.id();
        if (request.userId() != null && !request.userId().equals(caller)) {
            throw new DomainException.Forbidden("user_id must be the caller's own");
        }
        StringBuilder block = new StringBuilder();
        List<String> sources = new ArrayList<>();
        if (request.page() != null && (request.page().path() != null || request.page().title() != null)) {
            block.append("Page: ").append(request.page().title() == null ? "" : request.page().title())
                    .append(request.page().path() == null ? "" : " (" + request.page().path() + ")").append('\n');
            sources.add("page");
        }
        if (request.projectId() != null) {
            block.append(projects.block(caller, request.projectId(), maxChars));
            sources.add("project:" + request.projectId());
        }
        String text = block.toString().strip();
        if (text.isEmpty()) {
            return new Snapshot("", sources, false);
        }
        ModerationDecision cleaned = moderator.moderate(text, Stage.INPUT,
                new Moderator.Policy(false, Moderator.PiiHandling.REDACT));
        String redacted = cleaned.redactedText();
        boolean truncated = redacted.length() > maxChars;
        return new Snapshot(truncated ? redacted.substring(0, maxChars - 1) + "…" : redacted, sources, truncated);
    }
}
