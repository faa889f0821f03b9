package dev.agentdock.tool;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolMemoryId;
import jakarta.inject.Singleton;

/** What an agent can learn about the user's project. */
@Singleton
public class ProjectTools implements AgentTools {

    static final int MAX_CHARS = 4000;

    private final ProjectContext context;

    ProjectTools(ProjectContext context) {
        this.context = context;
    }

    @Tool(name = "fetch_project_context", value = """
            Describes the user's project: their recent conversations and the drafts stored in the project, \
            with draft ids usable by store_draft_content.""")
    public String fetchProjectContext(@P(name = "project_id", value = "the project's id") String projectId,
                                      @ToolMemoryId ToolCallContext caller) {
        if (projectId == null || projectId.isBlank() || projectId.length() > 200) {
            throw new IllegalArgumentException("project_id must be 1 to 200 characters");
        }
        return context.block(caller.userId(), projectId.strip(), MAX_CHARS);
    }
}
