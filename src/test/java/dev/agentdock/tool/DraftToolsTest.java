package dev.agentdock.tool;

import static dev.agentdock.tool.ToolsApiTest.KEY;
import static dev.agentdock.tool.ToolsApiTest.execute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.session.SessionRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DraftToolsTest {

    @Inject
    DraftRepository drafts;
    @Inject
    ToolRunner runner;
    @Inject
    SessionRepository sessions;
    @Inject
    ObjectMapper json;
    @Inject
    ProjectContext context;

    private JsonNode store(String user, Map<String, Object> args) throws Exception {
        String result = execute(user, KEY, Map.of("name", "store_draft_content", "arguments", args))
                .statusCode(200).body("ok", equalTo(true)).extract().path("result");
        return json.readTree(result);
    }

    @Test
    void aNewDraftGetsAnIdAndLaterVersionsKeepIt() throws Exception {
        String user = "user-" + UUID.randomUUID();
        JsonNode first = store(user, Map.of("title", "Launch post", "content", "# Draft one", "project_id", "p-1"));
        assertThat(first.get("created").asBoolean()).isTrue();
        assertThat(first.get("version").asInt()).isEqualTo(1);
        assertThat(first.get("content_type").asText()).isEqualTo("markdown");
        UUID id = UUID.fromString(first.get("draft_id").asText());

        JsonNode second = store(user, Map.of("draft_id", id.toString(), "title", "Launch post v2",
                "content", "<p>two</p>", "content_type", "html"));
        assertThat(second.get("created").asBoolean()).isFalse();
        assertThat(second.get("version").asInt()).isEqualTo(2);
        assertThat(second.get("draft_id").asText()).isEqualTo(id.toString());

        Draft stored = drafts.findOwned(id, user).orElseThrow();
        assertThat(stored.title).isEqualTo("Launch post v2");
        assertThat(stored.content).isEqualTo("<p>two</p>");
        assertThat(stored.contentType).isEqualTo("html");
        assertThat(stored.projectId).as("an update without project_id keeps the project").isEqualTo("p-1");
        assertThat(stored.updatedAt).isAfterOrEqualTo(stored.createdAt);
    }

    @Test
    void aCallerChosenIdIsCreatedWhenItDoesNotExistYet() throws Exception {
        String user = "user-" + UUID.randomUUID();
        UUID id = UUID.randomUUID();
        JsonNode saved = store(user, Map.of("draft_id", id.toString(), "title", "t", "content", "c"));
        assertThat(saved.get("draft_id").asText()).isEqualTo(id.toString());
        assertThat(saved.get("created").asBoolean()).isTrue();
    }

    @Test
    void anotherUsersDraftCannotBeOverwritten() throws Exception {
        String owner = "user-" + UUID.randomUUID();
        UUID id = UUID.fromString(store(owner, Map.of("title", "mine", "content", "secret plan")).get("draft_id").asText());

        execute("user-" + UUID.randomUUID(), KEY, Map.of("name", "store_draft_content",
                "arguments", Map.of("draft_id", id.toString(), "title", "hijack", "content", "gone")))
                .statusCode(200).body("ok", equalTo(false))
                .body("error", containsString("belongs to another user"));

        Draft stored = drafts.findOwned(id, owner).orElseThrow();
        assertThat(stored.content).isEqualTo("secret plan");
        assertThat(stored.version).isEqualTo(1);
    }

    @Test
    void aMalformedDraftIdIsAnErrorResult() {
        execute("user-" + UUID.randomUUID(), KEY, Map.of("name", "store_draft_content",
                "arguments", Map.of("draft_id", "draft-1", "title", "t", "content", "c")))
                .statusCode(200).body("ok", equalTo(false)).body("error", containsString("draft_id must be a UUID"));
    }

    @Test
    void aDraftWrittenDuringATurnRemembersItsSession() throws Exception {
        String user = "user-" + UUID.randomUUID();
        UUID session = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> sessions.create(session, user, "assistant"));
        ToolResult result = runner.run("store_draft_content", "{\"title\":\"from a turn\",\"content\":\"x\"}",
                List.of("store_draft_content"), new ToolCallContext(user, session, UUID.randomUUID()));
        assertThat(result.ok()).as(result.error()).isTrue();
        UUID id = UUID.fromString(json.readTree(result.result()).get("draft_id").asText());
        assertThat(drafts.findOwned(id, user).orElseThrow().sessionId).isEqualTo(session);
    }

    @Test
    void projectContextListsTheUsersRecentSessionsAndTheProjectsDrafts() throws Exception {
        String user = "user-" + UUID.randomUUID();
        String project = "proj-" + UUID.randomUUID();
        UUID session = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> sessions.create(session, user, "assistant").title = "Pricing chat");
        store(user, Map.of("title", "Pricing page", "content", "Three tiers:\nfree, pro, team", "project_id", project));
        store(user, Map.of("title", "Elsewhere", "content", "other project", "project_id", "other-" + project));

        execute(user, KEY, Map.of("name", "fetch_project_context", "arguments", Map.of("project_id", project)))
                .statusCode(200).body("ok", equalTo(true))
                .body("result", containsString("Project " + project))
                .body("result", containsString("\"Pricing chat\" with assistant"))
                .body("result", containsString("\"Pricing page\" (markdown, version 1"))
                .body("result", containsString("Three tiers: free, pro, team"))
                .body("result", not(containsString("Elsewhere")));

        execute("user-" + UUID.randomUUID(), KEY, Map.of("name", "fetch_project_context", "arguments", Map.of("project_id", project)))
                .statusCode(200).body("ok", equalTo(true))
                .body("result", containsString("Drafts in this project: none"))
                .body("result", not(containsString("Pricing")));
    }

    @Test
    void projectContextBlockRespectsItsSizeLimit() {
        String block = context.block("user-" + UUID.randomUUID(), "p", 20);
        assertThat(block).hasSize(20).endsWith("…");
    }
}
