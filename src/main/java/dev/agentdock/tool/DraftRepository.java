package dev.agentdock.tool;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * SQL of {@code ai_agent_drafts}. Plain JDBC: tools run on their own threads, outside any request or transaction,
 * and every operation here is a single statement.
 */
@ApplicationScoped
public class DraftRepository {

    /** One stored draft. */
    public record Draft(UUID draftId, String userId, String projectId, UUID sessionId, String title, String content,
                        String contentType, int version, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
    }

    /** What an upsert did: the version now stored, and whether the row is new. */
    public record Saved(UUID draftId, int version, boolean created) {
    }

    // One statement decides insert-or-update atomically; the WHERE keeps another user's row untouched (no row back).
    private static final String UPSERT = """
            INSERT INTO ai_agent_drafts AS d (draft_id, user_id, project_id, session_id, title, content, content_type)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (draft_id) DO UPDATE SET
                project_id = COALESCE(EXCLUDED.project_id, d.project_id),
                session_id = COALESCE(EXCLUDED.session_id, d.session_id),
                title = EXCLUDED.title, content = EXCLUDED.content, content_type = EXCLUDED.content_type,
                version = d.version + 1, updated_at = now()
            WHERE d.user_id = EXCLUDED.user_id
            RETURNING d.version, (d.xmax = 0) AS created
            """;

    private static final String COLUMNS =
            "draft_id, user_id, project_id, session_id, title, content, content_type, version, created_at, updated_at";

    private final AgroalDataSource db;

    DraftRepository(AgroalDataSource db) {
        this.db = db;
    }

    /** Inserts or updates the user's draft; empty when the id belongs to another user. */
    public Optional<Saved> upsert(UUID draftId, String userId, String projectId, UUID sessionId, String title,
                                  String content, String contentType) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(UPSERT)) {
            s.setObject(1, draftId);
            s.setString(2, userId);
            s.setString(3, projectId);
            s.setObject(4, sessionId, Types.OTHER);
            s.setString(5, title);
            s.setString(6, content);
            s.setString(7, contentType);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(new Saved(draftId, r.getInt(1), r.getBoolean(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("storing draft " + draftId + " failed: " + e.getMessage(), e);
        }
    }

    public Optional<Draft> findOwned(UUID draftId, String userId) {
        List<Draft> found = query("SELECT " + COLUMNS + " FROM ai_agent_drafts WHERE draft_id = ? AND user_id = ?",
                draftId, userId);
        return found.stream().findFirst();
    }

    /** The user's drafts in a project, most recently changed first. */
    public List<Draft> listRecentInProject(String userId, String projectId, int limit) {
        return query("SELECT " + COLUMNS + " FROM ai_agent_drafts WHERE user_id = ? AND project_id = ?"
                + " ORDER BY updated_at DESC LIMIT ?", userId, projectId, limit);
    }

    private List<Draft> query(String sql, Object... params) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            List<Draft> drafts = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    drafts.add(new Draft(r.getObject(1, UUID.class), r.getString(2), r.getString(3),
                            r.getObject(4, UUID.class), r.getString(5), r.getString(6), r.getString(7), r.getInt(8),
                            r.getObject(9, OffsetDateTime.class), r.getObject(10, OffsetDateTime.class)));
                }
            }
            return drafts;
        } catch (SQLException e) {
            throw new IllegalStateException("reading drafts failed: " + e.getMessage(), e);
        }
    }
}
