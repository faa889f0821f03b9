package dev.agentdock.run;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentdock.common.MetricsScrape;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The turn engine's meters at /q/metrics move with what a run does. Each test names a model of its own, so the
 * model-scoped meters it reads are its alone (other tests' runs share the agent-scoped ones).
 */
@QuarkusTest
class RunMetricsTest {

    private static String uniqueModel() {
        return "probe-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Response run(Map<String, Object> body) {
        return run("user-" + UUID.randomUUID(), body);
    }

    private static Response run(String user, Map<String, Object> body) {
        return given().header("X-User-Id", user).contentType(ContentType.JSON).body(body).post("/api/agent/run");
    }

    @Test
    void aTurnWithAToolCallCountsTheRunItsModelCallsTokensAndTheTool() {
        String model = uniqueModel();
        MetricsScrape before = MetricsScrape.now();

        String user = "user-" + UUID.randomUUID();
        JsonPath result = run(user, Map.of("input", "use it [[tool:echo {\"text\":\"metered\"}]]", "model", model))
                .then().statusCode(200).extract().jsonPath();
        assertThat(result.getString("status")).isEqualTo("completed");
        JsonPath stored = given().header("X-User-Id", user).get("/api/runs/" + result.getString("id"))
                .then().statusCode(200).extract().jsonPath();

        MetricsScrape after = MetricsScrape.now();
        assertThat(after.since(before, "agentdock_runs_total", "status", "completed", "agent", "assistant"))
                .isGreaterThanOrEqualTo(1);
        // two model calls: the one asking for the tool, the one answering with its result
        assertThat(after.since(before, "agentdock_model_ttft_seconds_count", "model", model, "provider", "simulator"))
                .isEqualTo(2);
        assertThat(after.has("agentdock_model_ttft_seconds_bucket", "model", model)).isTrue();
        assertThat(after.since(before, "agentdock_model_duration_seconds_count", "model", model, "outcome", "ok"))
                .isEqualTo(2);
        assertThat(after.since(before, "agentdock_model_duration_seconds_sum", "model", model, "outcome", "ok"))
                .isPositive();
        assertThat(after.since(before, "agentdock_tool_duration_seconds_count", "tool", "echo", "outcome", "ok"))
                .isGreaterThanOrEqualTo(1);

        // the tokens counted are the ones the run row adds up
        assertThat(stored.getInt("input_tokens")).isPositive();
        assertThat(stored.getInt("output_tokens")).isPositive();
        assertThat(after.since(before, "agentdock_tokens_total", "kind", "input", "model", model))
                .isEqualTo(stored.getInt("input_tokens"));
        assertThat(after.since(before, "agentdock_tokens_total", "kind", "output", "model", model))
                .isEqualTo(stored.getInt("output_tokens"));
    }

    @Test
    void aFailedModelCallCountsAsAnErroredRunAndAnErroredCallWithoutAFirstToken() {
        String model = uniqueModel();
        MetricsScrape before = MetricsScrape.now();

        run(Map.of("input", "break [[fail:500]]", "model", model)).then().statusCode(502);

        MetricsScrape after = MetricsScrape.now();
        assertThat(after.since(before, "agentdock_runs_total", "status", "error", "agent", "assistant"))
                .isGreaterThanOrEqualTo(1);
        assertThat(after.since(before, "agentdock_model_duration_seconds_count", "model", model, "outcome", "error"))
                .isEqualTo(1);
        assertThat(after.value("agentdock_model_ttft_seconds_count", "model", model)).isZero();
        assertThat(after.value("agentdock_tokens_total", "model", model)).isZero();
    }

    @Test
    void toolTimeoutsAndUnknownToolsAreCountedUnderBoundedTags() {
        MetricsScrape before = MetricsScrape.now();
        String unknown = "no_such_tool_" + UUID.randomUUID().toString().substring(0, 8);

        run(Map.of("input", "[[tool:slow_lookup {\"query\":\"x\"}]] [[tool:" + unknown + " {}]]")).then().statusCode(200);

        MetricsScrape after = MetricsScrape.now();
        assertThat(after.since(before, "agentdock_tool_duration_seconds_count", "tool", "slow_lookup", "outcome", "timeout"))
                .isEqualTo(1);
        assertThat(after.since(before, "agentdock_tool_duration_seconds_count", "tool", "unknown", "outcome", "error"))
                .isEqualTo(1);
        assertThat(after.has("agentdock_tool_duration_seconds_count", "tool", unknown)).isFalse();
    }

    @Test
    void agentsTheServiceDoesNotKnowAreCountedAsCustom() {
        String name = "sdk-agent-" + UUID.randomUUID().toString().substring(0, 8);
        MetricsScrape before = MetricsScrape.now();

        run(Map.of("input", "hello", "agent_name", name, "instructions", "Be brief.")).then().statusCode(200);

        MetricsScrape after = MetricsScrape.now();
        assertThat(after.since(before, "agentdock_runs_total", "status", "completed", "agent", "custom"))
                .isGreaterThanOrEqualTo(1);
        assertThat(after.has("agentdock_runs_total", "agent", name)).isFalse();
    }

    @Test
    void theActiveRunsGaugeCountsARunWhileItExecutes() {
        assertThat(MetricsScrape.now().has("agentdock_runs_active")).isTrue();
        CompletableFuture<Response> slow = CompletableFuture.supplyAsync(
                () -> run(Map.of("input", "take your time [[slow:40]] [[tokens:60]]")));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> MetricsScrape.now().value("agentdock_runs_active") >= 1);
        assertThat(slow.join().statusCode()).isEqualTo(200);
    }

    @Test
    void theOpenSocketsGaugeIsExposed() {
        assertThat(MetricsScrape.now().has("agentdock_sockets_open")).isTrue();
    }
}
