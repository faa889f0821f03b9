package dev.agentdock.realtime;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(RealtimeUnreachableTest.NothingListening.class)
class RealtimeUnreachableTest {

    public static class NothingListening implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("agentdock.openai.base-url", "http://127.0.0.1:1/v1", "agentdock.openai.api-key", "sk-unused-key");
        }
    }

    @Test
    void aRefusedConnectionIs503() {
        given().get("/api/session").then().statusCode(503)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://agentdock.dev/problems/upstream-failed"))
                .body("detail", equalTo("OpenAI is unreachable"));
        given().queryParam("scenario_id", "simple-handoff").get("/api/session2").then().statusCode(503)
                .body("detail", equalTo("OpenAI is unreachable"));
    }

    @Test
    void aRefusedConnectionIs503ForTheResponsesProxy() {
        for (boolean stream : new boolean[] {false, true}) {
            given().contentType(ContentType.JSON).body("{\"model\":\"gpt-4o\",\"input\":\"hi\",\"stream\":" + stream + "}")
                    .post("/api/responses").then().statusCode(503)
                    .contentType(startsWith("application/problem+json"))
                    .body("type", equalTo("https://agentdock.dev/problems/upstream-failed"))
                    .body("detail", equalTo("OpenAI is unreachable"))
                    .body("upstream_status", equalTo(null));
        }
    }
}
