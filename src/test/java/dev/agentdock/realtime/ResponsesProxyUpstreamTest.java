package dev.agentdock.realtime;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** What {@code /api/responses} sends to OpenAI, seen from a stand-in that records every request. */
@QuarkusTest
@TestProfile(FakeOpenAiProfile.class)
class ResponsesProxyUpstreamTest extends WithFakeOpenAi {

    @Test
    void theBodyGoesUpstreamByteForByteWithTheServersKeyNotTheClients() {
        // Field order, spacing, escapes, number forms and fields the proxy knows nothing about all survive.
        String request = "{ \"input\" : [{\"role\":\"user\",\"content\":\"caf\\u00e9\"}],\n  \"model\":\"gpt-4o\","
                + "\"temperature\":1.50,\"text\":{\"format\":{\"type\":\"text\"}},\"x_future_field\":[1,2e3,null]}";
        given().contentType(ContentType.JSON).header("Authorization", "Bearer sk-client-own-key-123")
                .body(request).post("/api/responses")
                .then().statusCode(200).contentType(startsWith("application/json"))
                .body("id", equalTo("resp_test_1"))
                .body("model", equalTo("gpt-4o"));

        FakeOpenAi.Received sent = openAi.received.getFirst();
        assertThat(sent.path()).isEqualTo("/v1/responses");
        assertThat(sent.authorization()).isEqualTo("Bearer " + FakeOpenAi.SERVER_KEY);
        assertThat(sent.raw()).isEqualTo(request);
    }

    @Test
    void anUpstream400KeepsItsMessageButNeverTheKey() {
        openAi.answer = FakeOpenAi.Answer.BAD_REQUEST;
        given().contentType(ContentType.JSON).body("{\"model\":\"gpt-4o\",\"input\":\"hi\"}").post("/api/responses")
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("upstream_status", equalTo(400))
                .body("detail", containsString("Invalid value: 'shouty'"))
                .body("detail", containsString("Key used: ***"))
                .body(not(containsString(FakeOpenAi.SERVER_KEY)))
                .body(not(containsString("SERVERKEY")));
    }

    @Test
    void anUpstreamThatResetsTheConnectionIs502() {
        openAi.answer = FakeOpenAi.Answer.RESET;
        given().contentType(ContentType.JSON).body("{\"model\":\"gpt-4o\",\"input\":\"hi\",\"stream\":true}")
                .post("/api/responses")
                .then().statusCode(502).contentType(startsWith("application/problem+json"))
                .body("detail", equalTo("the connection to OpenAI failed"));
    }
}
