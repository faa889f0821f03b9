package dev.agentdock.context;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ContextSnapshotTest {

    private static void draft(String user, String project, String title, String content) {
        given().contentType(ContentType.JSON).header("X-User-Id", user).header("X-Service-Key", "test-service-key")
                .body(Map.of("name", "store_draft_content", "arguments",
                        Map.of("title", title, "content", content, "project_id", project)))
                .post("/api/tools/execute").then().statusCode(200).body("ok", equalTo(true));
    }

    @Test
    void theBlockComesFromTheUsersStoredDataWithPiiRedacted() {
        String user = "user-" + UUID.randomUUID();
        String project = "proj-" + UUID.randomUUID();
        draft(user, project, "Launch plan for bob@example.com", "the body");
        draft("someone-else", project, "Not yours", "secret");

        JsonPath snapshot = given().contentType(ContentType.JSON).header("X-User-Id", user)
                .body(Map.of("page", Map.of("path", "/projects/" + project, "title", "Roadmap"), "project_id", project))
                .post("/api/context/snapshot").then().statusCode(200).extract().jsonPath();
        String block = snapshot.getString("context_block");
        assertThat(block).contains("Roadmap").contains("Launch plan for").contains("[REDACTED:email]")
                .doesNotContain("bob@example.com").doesNotContain("Not yours");
        assertThat(snapshot.getList("sources", String.class)).containsExactly("page", "project:" + project);
    }

    @Test
    void anotherUsersIdIsRefusedAndBadInputIsAProblem() {
        given().contentType(ContentType.JSON).header("X-User-Id", "me").body(Map.of("user_id", "you", "project_id", "p"))
                .post("/api/context/snapshot").then().statusCode(403);
        given().contentType(ContentType.JSON).header("X-User-Id", "me").body(Map.of("project_id", "x".repeat(500)))
                .post("/api/context/snapshot").then().statusCode(422);
        given().contentType(ContentType.JSON).header("X-User-Id", "me").body(Map.of("page", "not an object"))
                .post("/api/context/snapshot").then().statusCode(400);
    }
}
