package dev.agentdock.tool;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedNativeQuery;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A draft an agent wrote for its user ({@code store_draft_content}), versioned, optionally in a project. */
@Entity
@Table(name = "ai_agent_drafts")
// One statement decides insert-or-update atomically; the WHERE keeps another user's row untouched (no row back).
@NamedNativeQuery(name = Draft.UPSERT, query = """
        INSERT INTO ai_agent_drafts AS d (draft_id, user_id, project_id, session_id, title, content, content_type)
        VALUES (:id, :user, :project, :session, :title, :content, :contentType)
        ON CONFLICT (draft_id) DO UPDATE SET
            project_id = COALESCE(EXCLUDED.project_id, d.project_id),
            session_id = COALESCE(EXCLUDED.session_id, d.session_id),
            title = EXCLUDED.title, content = EXCLUDED.content, content_type = EXCLUDED.content_type,
            version = d.version + 1, updated_at = now()
        WHERE d.user_id = EXCLUDED.user_id
        RETURNING d.version, (d.xmax = 0) AS created""")
public class Draft {

    static final String UPSERT = "Draft.upsert";

    @Id
    @Column(name = "draft_id")
    public UUID id;

    @Column(name = "user_id", nullable = false)
    public String userId;

    @Column(name = "project_id")
    public String projectId;

    @Column(name = "session_id")
    public UUID sessionId;

    @Column(nullable = false)
    public String title;

    @Column(nullable = false)
    public String content;

    @Column(name = "content_type", nullable = false)
    public String contentType;

    public int version;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;
}
