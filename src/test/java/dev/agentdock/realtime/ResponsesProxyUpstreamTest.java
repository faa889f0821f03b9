package dev.agentdock.realtime;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What {@code /api/responses} sends to OpenAI, seen from a stand-in that records every request. */
@QuarkusTest
@TestProfile(FakeOpenAiProfile.class)
class ResponsesProxyUpstreamTest extends WithFakeOpenAi {

    @Test
    void theBodyGoesUpstreamByteForByteWithTheServersKeyNotTheClients() {
        // Field order, spacing, escapes, number forms and nested values the proxy does not read all survive.
        String request = "{ \"input\" : [{\"role\":\"user\",\"content\":\"caf\\u00e9\"}],\n  \"model\":\"gpt-4o\","
                + "\"temperature\":1.50,\"text\":{\"format\":{\"type\":\"text\"}},\"metadata\":{\"n\":[1,2e3,null]}}";
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

    /**
     * OpenAI sends its head (200, and for a stream {@code text/event-stream}) and then nothing: the first-byte timeout
     * (1.5 s in tests) still applies, not the shorter stream idle timeout (1 s), since nothing of the answer has come
     * yet; nothing has been relayed either, so the client gets a 504 problem, not an event stream. The call is held
     * open (and counted) while OpenAI is silent, and released once it gives up.
     */
    /** What reached OpenAI through the proxy (a chat turn of another test class may still be talking to it too). */
    private List<FakeOpenAi.Received> proxied() {
        return openAi.received.stream().filter(r -> r.path().equals("/v1/responses")).toList();
    }

    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {true, false})
    void anUpstreamThatSendsItsHeadThenNothingIs504AfterTheFirstByteTimeout(boolean stream) {
        openAi.answer = FakeOpenAi.Answer.HEADERS_THEN_STALL;
        int before = ResponsesCalls.inFlight();
        long start = System.nanoTime();
        CompletableFuture<ExtractableResponse<Response>> call = ResponsesCalls.postInBackground(stream);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(25))
                .until(() -> !proxied().isEmpty() && ResponsesCalls.inFlight() == before + 1);
        assertThat(call).as("still waiting for OpenAI's first byte").isNotDone();

        ExtractableResponse<Response> answer = call.join();
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        ResponsesCalls.assertUpstreamProblem(answer, 504, "OpenAI stopped sending for 1500 ms");
        assertThat(elapsedMs).as("answered after the first-byte timeout, not before nor much later")
                .isBetween(1_450L, 1_500L + 1_500L);
        assertThat(proxied()).hasSize(1);
        // the stalled OpenAI call was reset and counted out, not left open
        await().atMost(Duration.ofSeconds(2)).until(() -> ResponsesCalls.inFlight() == before);
    }

}
