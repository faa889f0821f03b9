package dev.agentdock.tool;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.StatelessSession;

/**
 * The drafts of {@code ai_agent_drafts}. Tools run on their own threads, outside any request or transaction, and
 * every operation here is a single statement: each goes through a {@code StatelessSession}, as the run's hot path
 * does.
 */
@ApplicationScoped
public class DraftRepository {

    /** What an upsert did: the version now stored, and whether the row is new. */
    public record Saved(UUID draftId, int version, boolean created) {
    }

    private final StatelessSession stateless;

    DraftRepository(StatelessSession stateless) {
        this.stateless = stateless;
    }

    /** Inserts or updates the user's draft; empty when the id belongs to another user. */
    @ActivateRequestContext
    public Optional<Saved> upsert(UUID draftId, String userId, String projectId, UUID sessionId, String title,
                                  String content, String contentType) {
        return stateless.createNamedQuery(Draft.UPSERT, Object[].class)
                .setParameter("id", draftId).setParameter("user", userId)
                .setParameter("project", projectId, String.class).setParameter("session", sessionId, UUID.class)
                .setParameter("title", title).setParameter("content", content)
                .setParameter("contentType", contentType)
                .getResultStream().findFirst()
                .map(row -> new Saved(draftId, ((Number) row[0]).intValue(), (Boolean) row[1]));
    }

    @ActivateRequestContext
    public Optional<Draft> findOwned(UUID draftId, String userId) {
        return stateless.createSelectionQuery("from Draft where id = :id and userId = :user", Draft.class)
                .setParameter("id", draftId).setParameter("user", userId).getResultStream().findFirst();
    }

    /** The user's drafts in a project, most recently changed first. */
    @ActivateRequestContext
    public List<Draft> listRecentInProject(String userId, String projectId, int limit) {
        return stateless.createSelectionQuery(
                        "from Draft where userId = :user and projectId = :project order by updatedAt desc", Draft.class)
                .setParameter("user", userId).setParameter("project", projectId).setMaxResults(limit).getResultList();
    }
}
