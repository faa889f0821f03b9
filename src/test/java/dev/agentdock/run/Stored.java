package dev.agentdock.run;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.common.MetricsScrape;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads for assertions, as the owner of a session reads them: through the sessions and runs API, so each read is
 * what the database holds now and the same tests run in-process and against the packaged jar. Steps come as
 * {@code StepView} JSON ({@code sequence}, {@code role}, {@code content}, {@code metrics.*}, {@code interrupted},
 * {@code error}, …), runs as {@code RunView} JSON ({@code run_id}, {@code session_id}, {@code status}, …); absent
 * fields are null.
 */
public final class Stored {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUNS_ACTIVE = "agentdock_runs_active";

    private Stored() {
    }

    /** Every step of the session, in sequence order. */
    public static List<JsonNode> steps(String user, String sessionId) {
        JsonNode page = read(given().header("X-User-Id", user).queryParam("limit", 1000)
                .get("/api/sessions/" + sessionId + "/steps"));
        if (page.hasNonNull("next_start_seq")) {
            throw new IllegalStateException("session " + sessionId + " has more than 1000 steps");
        }
        List<JsonNode> steps = new ArrayList<>();
        page.path("steps").forEach(steps::add);
        return steps;
    }

    /** The step at that sequence; it must exist. */
    public static JsonNode step(String user, String sessionId, int sequence) {
        return read(given().header("X-User-Id", user).get("/api/sessions/" + sessionId + "/steps/" + sequence));
    }

    /** The run; it must exist. */
    public static JsonNode run(String user, String runId) {
        return read(given().header("X-User-Id", user).get("/api/runs/" + runId));
    }

    /** The run, or empty while it does not exist (yet). */
    public static Optional<JsonNode> findRun(String user, String runId) {
        Response response = given().header("X-User-Id", user).get("/api/runs/" + runId);
        return response.statusCode() == 404 ? Optional.empty() : Optional.of(read(response));
    }

    /** The run's status as the API spells it: pending, running, paused, completed, interrupted, cancelled, error. */
    public static String status(String user, String runId) {
        return run(user, runId).path("status").asText();
    }

    /**
     * Waits until no run executes on the instance ({@code agentdock_runs_active}, the gauge of the runs it holds in
     * memory), as seen by a test that has just ended or paused its own and runs nothing else at the same time.
     */
    public static void awaitNoRunExecuting() {
        await().pollInSameThread().atMost(Duration.ofSeconds(20)).until(() -> {
            MetricsScrape metrics = MetricsScrape.now();
            if (!metrics.has(RUNS_ACTIVE)) {
                throw new AssertionError(RUNS_ACTIVE + " is not among the metrics");
            }
            return metrics.value(RUNS_ACTIVE) == 0;
        });
    }

    /** Text of a field, null when the API left it out (null values are not serialized). */
    public static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.isValueNode() ? value.asText() : value.toString();
    }

    private static JsonNode read(Response response) {
        if (response.statusCode() != 200) {
            throw new AssertionError("HTTP " + response.statusCode() + " from the API: " + response.asString());
        }
        try {
            return JSON.readTree(response.asString());
        } catch (Exception e) {
            throw new IllegalStateException("not JSON: " + response.asString(), e);
        }
    }
}
