package dev.agentdock.tool;

import dev.agentdock.session.SessionQueries;
import dev.agentdock.session.SessionView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A short plain-text picture of what a user has in a project, from stored data: their recent conversations and
 * the project's drafts. Fed to agents (fetch_project_context) and meant for context snapshots too.
 */
@ApplicationScoped
public class ProjectContext {

    static final int SESSIONS = 5;
    static final int DRAFTS = 10;
    static final int EXCERPT = 160;

    private final SessionQueries sessions;
    private final DraftRepository drafts;

    ProjectContext(SessionQueries sessions, DraftRepository drafts) {
        this.sessions = sessions;
        this.drafts = drafts;
    }

    /**
     * The block for {@code userId} in {@code projectId}, at most {@code maxChars} characters (cut with "…").
     * Sessions carry no project, so "recent conversations" are the user's across projects.
     */
    @ActivateRequestContext
    public String block(String userId, String projectId, int maxChars) {
        StringBuilder out = new StringBuilder();
        out.append("Project ").append(oneLine(projectId)).append('\n');
        List<SessionView> recent = sessions.recent(userId, SESSIONS);
        out.append("Recent conversations:").append(recent.isEmpty() ? " none\n" : "\n");
        for (SessionView s : recent) {
            out.append("- \"").append(s.title() == null ? "untitled" : oneLine(s.title())).append("\" with ")
                    .append(oneLine(s.rootAgent() != null ? s.rootAgent() : s.agentName()))
                    .append(", updated ").append(when(s.updatedAt())).append('\n');
        }
        List<Draft> inProject = drafts.listRecentInProject(userId, projectId, DRAFTS);
        out.append("Drafts in this project:").append(inProject.isEmpty() ? " none\n" : "\n");
        for (Draft d : inProject) {
            out.append("- \"").append(oneLine(d.title)).append("\" (").append(d.contentType)
                    .append(", version ").append(d.version).append(", updated ").append(when(d.updatedAt))
                    .append(", draft_id ").append(d.id).append("): ")
                    .append(excerpt(d.content)).append('\n');
        }
        return fit(out.toString().stripTrailing(), maxChars);
    }

    private static String excerpt(String content) {
        String flat = oneLine(content);
        return flat.length() <= EXCERPT ? flat : flat.substring(0, EXCERPT - 1) + "…";
    }

    /** Stored text goes into a prompt: one line each, no control characters that could fake structure. */
    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
    }

    private static String when(OffsetDateTime time) {
        return time == null ? "unknown" : DateTimeFormatter.ISO_OFFSET_DATE_TIME
                .format(time.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS));
    }

    private static String fit(String text, int maxChars) {
        if (maxChars <= 0 || text.length() <= maxChars) {
            return text;
        }
        return maxChars == 1 ? "…" : text.substring(0, maxChars - 1) + "…";
    }
}
