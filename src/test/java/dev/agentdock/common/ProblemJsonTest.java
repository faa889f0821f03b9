package dev.agentdock.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ProblemJsonTest {

    private static final String VALID = "{\"name\":\"a\",\"count\":2,\"mood\":\"CALM\"}";

    private static ValidatableResponse post(String body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/test-probe").then();
    }

    private static ValidatableResponse isProblem(ValidatableResponse r, int status) {
        return r.statusCode(status)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(status))
                .body("type", startsWith("https://agentdock.dev/problems/"))
                .body("title", not(equalTo(null)))
                .body("detail", not(equalTo(null)))
                .body(not(containsString("at dev.agentdock")))
                .body(not(containsString("Exception")));
    }

    @Test
    void aValidBodyPasses() {
        post(VALID).statusCode(200).body("name", equalTo("a"));
    }

    @Test
    void malformedJsonIs400WithWhere() {
        isProblem(post("{\"name\": \"a\", "), 400).body("type", containsString("json"));
        isProblem(post("not json at all"), 400);
    }

    @Test
    void aWrongTypeNamesTheField() {
        isProblem(post("{\"name\":\"a\",\"count\":\"many\",\"mood\":\"CALM\"}"), 400)
                .body("detail", containsString("count")).body("errors.field", hasItem("count"));
        isProblem(post("{\"name\":\"a\",\"count\":1,\"mood\":\"CALM\",\"nested\":{\"depth\":[1]}}"), 400)
                .body("errors.field", hasItem("nested.depth"));
        isProblem(post("[1,2]"), 400);
    }

    @Test
    void missingRequiredFieldsAre422WithEachFieldNamed() {
        isProblem(post("{\"count\":20}"), 422)
                .body("errors.field", hasItem("name"))
                .body("errors.field", hasItem("count"))
                .body("errors.field", hasItem("mood"));
        isProblem(post(""), 422);
    }

    @Test
    void anUnknownEnumValueListsTheAllowedOnes() {
        isProblem(post("{\"name\":\"a\",\"count\":2,\"mood\":\"SLEEPY\"}"), 400)
                .body("detail", containsString("mood")).body("detail", containsString("calm"));
    }

    @Test
    void unknownFieldsAreRefusedByName() {
        isProblem(post("{\"name\":\"a\",\"count\":2,\"mood\":\"CALM\",\"evil\":true}"), 400)
                .body("detail", containsString("evil"));
    }

    @Test
    void anOversizedBodyIs413() {
        String huge = "{\"name\":\"" + "x".repeat(2 * 1024 * 1024) + "\",\"count\":1,\"mood\":\"CALM\"}";
        isProblem(post(huge), 413);
    }

    @Test
    void aChunkedBodyOverTheLimitIs413AndOneWithinItIsRead() throws Exception {
        CapturedLogs logs = CapturedLogs.install();
        try {
            HttpResponse<String> over = chunked("{\"name\":\"" + "x".repeat(2 * 1024 * 1024) + "\",\"count\":1,\"mood\":\"CALM\"}");
            assertProblem(over, 413);
            HttpResponse<String> within = chunked(VALID);
            assertEquals(200, within.statusCode(), within.body());
            assertTrue(within.body().contains("\"name\":\"a\""), within.body());
            assertFalse(logs.all().contains("ERROR") || logs.all().contains("TooLongFrame")
                    || logs.all().contains("Exception"), logs.all());
        } finally {
            logs.uninstall();
        }
    }

    @Test
    void aLongRequestTargetIs414AndLargeHeadersAre431() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> longTarget = client.send(HttpRequest.newBuilder(
                base().resolve("/test-probe?q=" + "a".repeat(9_000))).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertProblem(longTarget, 414);
        HttpRequest.Builder big = HttpRequest.newBuilder(base().resolve("/api/health")).GET();
        for (int i = 0; i < 10; i++) {
            big.header("X-Filler-" + i, "b".repeat(2_000));
        }
        assertProblem(client.send(big.build(), HttpResponse.BodyHandlers.ofString()), 431);
        // just under both limits is still served
        assertEquals(200, client.send(HttpRequest.newBuilder(base().resolve("/api/health?q=" + "a".repeat(6_000)))
                .header("X-Filler", "c".repeat(8_000)).GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    private static URI base() {
        return URI.create("http://localhost:" + RestAssured.port);
    }

    private static HttpResponse<String> chunked(String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(base().resolve("/test-probe"))
                .header("Content-Type", "application/json")
                // an input-stream publisher has no length: the client sends Transfer-Encoding: chunked
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
                .build();
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void assertProblem(HttpResponse<String> response, int status) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith(Problem.MEDIA_TYPE),
                response.headers().toString());
        assertTrue(response.body().contains("\"status\":" + status), response.body());
        assertTrue(response.body().contains("https://agentdock.dev/problems/"), response.body());
    }

    @Test
    void unknownRoutesWrongMethodsAndContentTypesAreProblems() {
        isProblem(given().get("/api/no-such-thing").then(), 404);
        isProblem(given().get("/no-such-root").then(), 404);
        isProblem(given().delete("/test-probe").then(), 405);
        isProblem(given().contentType(ContentType.TEXT).body("hello").post("/test-probe").then(), 415);
    }

    @Test
    void domainNotFoundAndUnexpectedFailuresHideInternals() {
        isProblem(given().get("/test-probe/missing/abc").then(), 404).body("detail", containsString("abc"));
        isProblem(given().get("/test-probe/boom").then(), 500).body(not(containsString("secret internal detail")));
    }
}
