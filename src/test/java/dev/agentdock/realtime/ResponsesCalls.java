package dev.agentdock.realtime;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentdock.common.MetricsScrape;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.util.concurrent.CompletableFuture;

/** What the Responses proxy suites share: the open-call gauge, a call in the background, the failure shape. */
final class ResponsesCalls {

    private ResponsesCalls() {
    }

    /** OpenAI calls the proxy holds open, read from its gauge over HTTP so the suites also run against the jar. */
    static int inFlight() {
        return (int) MetricsScrape.now().value("agentdock_responses_upstream_open");
    }

    /** A small {@code POST /api/responses}, answered on another thread so the test can look while it waits. */
    static CompletableFuture<ExtractableResponse<Response>> postInBackground(boolean stream) {
        return CompletableFuture.supplyAsync(() -> given().contentType(ContentType.JSON)
                .body("{\"model\":\"gpt-4o\",\"input\":\"hi\",\"stream\":" + stream + "}")
                .post("/api/responses").then().extract());
    }

    /** A failure before OpenAI's first byte: a problem without an upstream status, and never the server key. */
    static void assertUpstreamProblem(ExtractableResponse<Response> answer, int status, String detail) {
        assertThat(answer.statusCode()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.jsonPath().getInt("status")).isEqualTo(status);
        assertThat(answer.jsonPath().getString("type")).isEqualTo("https://agentdock.dev/problems/upstream-failed");
        assertThat(answer.jsonPath().getString("detail")).isEqualTo(detail);
        assertThat(answer.jsonPath().getMap("$")).doesNotContainKey("upstream_status");
        assertThat(answer.asString()).doesNotContain(FakeOpenAi.SERVER_KEY).doesNotContain("SERVERKEY");
    }
}
