package dev.agentdock.guard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import dev.agentdock.InProcessOnly;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code /api/moderate} against the simulator's moderation model on the wire, and the local PII rules. */
@QuarkusTest
class ModerateApiTest {


    private static ValidatableResponse moderate(Object body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/moderate").then();
    }

    @Test
    void cleanTextIsAllowedByBothSources() {
        moderate(Map.of("text", "What a lovely day for a walk in the park", "stage", "input")).statusCode(200)
                .body("action", equalTo("allow")).body("flagged", equalTo(false))
                .body("categories.moderation", equalTo(false))
                .body("categories.'pii/email'", equalTo(false))
                .body("scores.'pii/card'", equalTo(0.0f))
                .body("redacted_text", equalTo("What a lovely day for a walk in the park"))
                .body("sources", contains("model", "pii"))
                .body("model_available", equalTo(true));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            write to jane@example.com                 | email       | write to [REDACTED:email]
            call +14155550132                         | phone       | call [REDACTED:phone]
            call (415) 555-0132                       | phone       | call [REDACTED:phone]
            pay with 4111 1111 1111 1111              | card        | pay with [REDACTED:card]
            send to GB82 WEST 1234 5698 7654 32       | iban        | send to [REDACTED:iban]
            my badge is EMP-004211                    | employee_id | my badge is [REDACTED:employee_id]
            """)
    void eachPiiKindIsRedacted(String text, String kind, String redacted) {
        moderate(Map.of("text", text, "stage", "output")).statusCode(200)
                .body("action", equalTo("redact")).body("flagged", equalTo(true))
                .body("categories.'pii/" + kind + "'", equalTo(true))
                .body("scores.'pii/" + kind + "'", equalTo(1.0f))
                .body("categories.moderation", equalTo(false))
                .body("redacted_text", equalTo(redacted))
                .body("model_available", equalTo(true));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            card number 4111 1111 1111 1112 fails Luhn
            IBAN DE00 3704 0044 0532 0130 00 fails its checksum
            """)
    void numbersThatFailTheirChecksumAreNotRedacted(String text) {
        moderate(Map.of("text", text, "stage", "input")).statusCode(200)
                .body("action", equalTo("allow")).body("redacted_text", equalTo(text));
    }

    @Test
    void contentTheModelFlagsIsBlocked() {
        moderate(Map.of("text", "I will kill the process", "stage", "input")).statusCode(200)
                .body("action", equalTo("block")).body("flagged", equalTo(true))
                .body("categories.moderation", equalTo(true))
                .body("sources", contains("model", "pii")).body("model_available", equalTo(true));
    }

    @Test
    void flaggedContentWithPiiIsBlockedAndStillRedacted() {
        moderate(Map.of("text", "I will kill jane@example.com", "stage", "output")).statusCode(200)
                .body("action", equalTo("block"))
                .body("categories.'pii/email'", equalTo(true))
                .body("redacted_text", equalTo("I will kill [REDACTED:email]"));
    }

    @Test
    void withTheModelDownLocalRulesStillDecide() {
        moderate(Map.of("text", "[[fail:500]] reach me at jane@example.com", "stage", "input")).statusCode(200)
                .body("action", equalTo("redact")).body("model_available", equalTo(false))
                .body("sources", contains("pii"))
                .body("redacted_text", equalTo("[[fail:500]] reach me at [REDACTED:email]"));
        moderate(Map.of("text", "[[fail:429]] I will kill the process", "stage", "input")).statusCode(200)
                .body("action", equalTo("allow")).body("model_available", equalTo(false))
                .body("sources", contains("pii"));
    }

    @Test
    @InProcessOnly // calls the bean itself
    void theServiceGivesTheTurnEngineTheSameDecision() {
        Moderator moderator = io.quarkus.arc.Arc.container().instance(Moderator.class).get();
        ModerationDecision decision = moderator.moderate("mail a@b.io", Stage.OUTPUT);
        assertThat(decision.action()).isEqualTo(ModerationAction.REDACT);
        assertThat(decision.redactedText()).isEqualTo("mail [REDACTED:email]");
    }

    @Test
    void missingOrBlankTextIs422() {
        moderate(Map.of("stage", "input")).statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("text"));
        moderate(Map.of("text", "   ", "stage", "input")).statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("text"));
    }

    @Test
    void textOverTheLimitIs422() {
        moderate(Map.of("text", "a".repeat(32_769), "stage", "input")).statusCode(422)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("text")).body("errors[0].message", containsString("32768"));
    }

    @Test
    void anUnknownStageIs400AndAMissingOne422() {
        moderate(Map.of("text", "hello", "stage", "middle")).statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("stage")).body("detail", containsString("input, output"));
        moderate(Map.of("text", "hello")).statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("stage"));
    }

    @Test
    void unknownFieldsAre400() {
        moderate(Map.of("text", "hello", "stage", "input", "mode", "strict")).statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("mode"));
    }
}
