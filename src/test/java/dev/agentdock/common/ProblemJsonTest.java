package dev.agentdock.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
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
