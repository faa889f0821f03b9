package dev.agentdock.tool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.common.Ids;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolMemoryId;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Drafts an agent writes for the user (a reply, a document, a message to send later), stored and versioned. */
@Singleton
public class DraftTools implements AgentTools {

    /** How a draft's content is written. The constant names are the values the model and the API see. */
    public enum ContentType { markdown, text, html, json }

    static final int MAX_TITLE = 500;
    static final int MAX_CONTENT = 200_000;

    private final DraftRepository drafts;
    private final ObjectMapper json;

    DraftTools(DraftRepository drafts, ObjectMapper json) {
        this.drafts = drafts;
        this.json = json;
    }

    @Tool(name = "store_draft_content", value = """
            Saves a draft for the user: a new one, or a new version of an existing one when draft_id is given. \
            Returns the draft id and version; pass the id back to revise the same draft.""")
    public String storeDraftContent(
            @P(name = "title", value = "a short title of the draft") String title,
            @P(name = "content", value = "the full content of the draft") String content,
            @P(name = "content_type", value = "how the content is written; markdown if omitted", required = false) ContentType contentType,
            @P(name = "draft_id", value = "the id of a draft to revise (a UUID); omit to create a new draft", required = false) String draftId,
            @P(name = "project_id", value = "the project the draft belongs to, if any", required = false) String projectId,
            @ToolMemoryId ToolCallContext context) {
        if (title == null || title.isBlank() || title.length() > MAX_TITLE) {
            throw new IllegalArgumentException("title must be 1 to " + MAX_TITLE + " characters");
        }
        if (content == null || content.length() > MAX_CONTENT) {
            throw new IllegalArgumentException("content must be at most " + MAX_CONTENT + " characters");
        }
        UUID id = draftId == null || draftId.isBlank() ? Ids.newId() : uuid(draftId);
        String type = (contentType == null ? ContentType.markdown : contentType).name();
        String project = projectId == null || projectId.isBlank() ? null : projectId.strip();
        DraftRepository.Saved saved = drafts.upsert(id, context.userId(), project, context.sessionId(),
                        title.strip(), content, type)
                .orElseThrow(() -> new IllegalArgumentException("draft '" + id + "' belongs to another user and "
                        + "cannot be changed; omit draft_id to store a new draft"));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("draft_id", saved.draftId().toString());
        result.put("version", saved.version());
        result.put("created", saved.created());
        result.put("title", title.strip());
        result.put("content_type", type);
        if (project != null) {
            result.put("project_id", project);
        }
        try {
            return json.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static UUID uuid(String value) {
        try {
            return UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("draft_id must be a UUID such as one store_draft_content returned");
        }
    }
}
