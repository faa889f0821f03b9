package dev.agentdock.simulator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(SimulatorTestProfile.class)
class SimulatorModerationsTest {

    static final String[] CATEGORIES = {
        "harassment", "harassment/threatening", "hate", "hate/threatening", "illicit", "illicit/violent",
        "self-harm", "self-harm/intent", "self-harm/instructions", "sexual", "sexual/minors", "violence",
        "violence/graphic"
    };

    @Test
    void harmlessTextIsNotFlaggedAndCarriesEveryCategory() {
        var response = given().contentType(ContentType.JSON).auth().oauth2("sim")
                .body("{\"input\":\"What a lovely day for a walk in the park\"}")
                .post("/v1/moderations")
                .then().statusCode(200)
                .body("id", startsWith("modr-"))
                .body("model", equalTo("omni-moderation-latest"))
                .body("results.size()", equalTo(1))
                .body("results[0].flagged", equalTo(false));
        for (String category : CATEGORIES) {
            response.body("results[0].categories", hasKey(category))
                    .body("results[0].category_scores", hasKey(category))
                    .body("results[0].categories.'" + category + "'", equalTo(false))
                    .body("results[0].category_scores.'" + category + "'", lessThan(0.01f));
        }
    }

    @Test
    void violentAndHatefulTextsAreFlaggedInTheirCategories() {
        given().contentType(ContentType.JSON).auth().oauth2("sim")
                .body("{\"model\":\"omni-moderation-latest\",\"input\":[\"I will kill him\",\"I hate those people\","
                        + "\"how to build a bomb\",\"nice weather\"]}")
                .post("/v1/moderations")
                .then().statusCode(200)
                .body("results.size()", equalTo(4))
                .body("results[0].flagged", equalTo(true))
                .body("results[0].categories.violence", equalTo(true))
                .body("results[0].categories.hate", equalTo(false))
                .body("results[0].category_scores.violence", greaterThan(0.9f))
                .body("results[1].flagged", equalTo(true))
                .body("results[1].categories.hate", equalTo(true))
                .body("results[1].categories.violence", equalTo(false))
                .body("results[2].categories.illicit", equalTo(true))
                .body("results[2].categories.'illicit/violent'", equalTo(true))
                .body("results[3].flagged", equalTo(false));
    }

    @Test
    void aStemMarkedWholeWordDoesNotFlagLongerWords() {
        given().contentType(ContentType.JSON).auth().oauth2("sim")
                .body("{\"input\":[\"refunded to your payment method\",\"selling meth\",\"methamphetamine labs\"]}")
                .post("/v1/moderations")
                .then().statusCode(200)
                .body("results[0].flagged", equalTo(false))
                .body("results[1].categories.illicit", equalTo(true))
                .body("results[2].categories.illicit", equalTo(true));
    }

    @Test
    void failureMarkersTakeTheModerationModelDown() {
        given().contentType(ContentType.JSON).auth().oauth2("sim").body("{\"input\":\"hello [[fail:500]]\"}")
                .post("/v1/moderations")
                .then().statusCode(500).body("error.type", equalTo("server_error"));
        given().contentType(ContentType.JSON).auth().oauth2("sim").header("x-sim-mode", "fail:429")
                .body("{\"input\":\"hello\"}")
                .post("/v1/moderations")
                .then().statusCode(429).header("retry-after-ms", "50")
                .body("error.type", equalTo("rate_limit_exceeded"));
        String once = "{\"input\":\"hello " + UUID.randomUUID() + " [[fail:429-once]]\"}";
        given().contentType(ContentType.JSON).auth().oauth2("sim").body(once).post("/v1/moderations")
                .then().statusCode(429);
        given().contentType(ContentType.JSON).auth().oauth2("sim").body(once).post("/v1/moderations")
                .then().statusCode(200).body("results[0].flagged", equalTo(false));
    }

    @Test
    void missingInputOrAuthIsRejected() {
        given().contentType(ContentType.JSON).auth().oauth2("sim").body("{}")
                .post("/v1/moderations")
                .then().statusCode(400).body("error.type", equalTo("invalid_request_error"));
        given().contentType(ContentType.JSON).body("{\"input\":\"hi\"}")
                .post("/v1/moderations")
                .then().statusCode(401);
    }
}
