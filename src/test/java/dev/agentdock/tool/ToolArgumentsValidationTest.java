package dev.agentdock.tool;

import static dev.agentdock.tool.ToolsApiTest.asBackend;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.junit.QuarkusTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Arguments are checked against the tool's schema before it runs: each kind of violation names its field. */
@QuarkusTest
class ToolArgumentsValidationTest {

    private static Map<String, Object> order() {
        Map<String, Object> args = new HashMap<>();
        args.put("quantity", 2);
        args.put("price", 9.5);
        args.put("gift", true);
        args.put("tags", List.of("a", "b"));
        args.put("address", Map.of("city", "Lyon", "zip", "69001"));
        return args;
    }

    private static io.restassured.response.ValidatableResponse probe(Map<String, Object> args) {
        return asBackend(Map.of("name", "probe_order", "arguments", args));
    }

    private static void rejected(Map<String, Object> args, String field, String message) {
        probe(args).statusCode(422).contentType("application/problem+json")
                .body("errors.size()", equalTo(1))
                .body("errors[0].field", equalTo(field))
                .body("errors[0].message", containsString(message))
                .body("detail", containsString(field));
    }

    @Test
    void validArgumentsOfEveryTypeRun() {
        probe(order()).statusCode(200).body("ok", equalTo(true)).body("result", equalTo("2x9.5 gift [a, b] to Lyon"));
    }

    @Test
    void aMissingRequiredPropertyIsNamed() {
        Map<String, Object> args = order();
        args.remove("quantity");
        rejected(args, "arguments.quantity", "is required");
        asBackend(Map.of("name", "echo", "arguments", Map.of())).statusCode(422)
                .body("errors[0].field", equalTo("arguments.text"));
    }

    @Test
    void anExplicitNullForARequiredPropertyCountsAsMissing() {
        Map<String, Object> args = order();
        args.put("price", null);
        rejected(args, "arguments.price", "is required");
    }

    @Test
    void eachWrongJsonTypeIsNamed() {
        Map<String, Object> args = order();
        args.put("quantity", "two");
        rejected(args, "arguments.quantity", "must be an integer, not a string");
        args = order();
        args.put("quantity", 2.5);
        rejected(args, "arguments.quantity", "must be an integer");
        args = order();
        args.put("price", "cheap");
        rejected(args, "arguments.price", "must be a number");
        args = order();
        args.put("gift", "yes");
        rejected(args, "arguments.gift", "must be a boolean");
        args = order();
        args.put("tags", "a,b");
        rejected(args, "arguments.tags", "must be an array");
        args = order();
        args.put("tags", List.of("a", 3));
        rejected(args, "arguments.tags[1]", "must be a string");
        args = order();
        args.put("address", "Lyon");
        rejected(args, "arguments.address", "must be an object");
        args = order();
        args.put("note", 42);
        rejected(args, "arguments.note", "must be a string, not an integer");
    }

    @Test
    void nestedObjectsAreCheckedToo() {
        Map<String, Object> args = order();
        args.put("address", Map.of("city", 7, "zip", "69001"));
        rejected(args, "arguments.address.city", "must be a string");
    }

    @Test
    void anUnknownPropertyIsRefusedBecauseToolSchemasAreClosed() {
        Map<String, Object> args = order();
        args.put("quantitty", 3);
        rejected(args, "arguments.quantitty", "is not a parameter");
    }

    @Test
    void aValueOutsideTheEnumIsNamedWithTheAllowedValues() {
        asBackend(Map.of("name", "store_draft_content",
                "arguments", Map.of("title", "t", "content", "c", "content_type", "pdf")))
                .statusCode(422).contentType("application/problem+json")
                .body("errors[0].field", equalTo("arguments.content_type"))
                .body("errors[0].message", containsString("markdown, text, html, json"));
    }

    @Test
    void everyViolationIsReportedAtOnce() {
        Map<String, Object> args = order();
        args.remove("gift");
        args.put("price", "x");
        args.put("extra", 1);
        probe(args).statusCode(422)
                .body("errors.field", hasItems("arguments.gift", "arguments.price", "arguments.extra"));
    }

    @Test
    void argumentsThatAreNotAnObjectAre422() {
        asBackend(Map.of("name", "echo", "arguments", "{\"text\":\"hi\"}")).statusCode(422)
                .contentType("application/problem+json").body("errors[0].field", equalTo("arguments"));
        asBackend(Map.of("name", "echo", "arguments", List.of("hi"))).statusCode(422)
                .body("errors[0].field", equalTo("arguments"));
    }
}
