package dev.agentdock.run;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Twenty turns sent at once to one session, several rounds per multitask policy: enqueue never refuses (no
 * check-then-begin race), no policy deadlocks or stores a run as an internal error, and the session's steps stay
 * contiguous and usable.
 */
@QuarkusTest
class ConcurrentTurnsTest {

    private static final int TURNS = 20;
    private static final int ROUNDS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @ParameterizedTest
    @ValueSource(strings = {"enqueue", "rollback", "interrupt", "reject"})
    void twentyTurnsAtOnceOnOneSession(String policy) throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String user = "user-" + UUID.randomUUID();
            String session = given().contentType(ContentType.JSON).accept(ContentType.JSON).header("X-User-Id", user)
                    .body(Map.of("message", "hi")).post("/api/agents/assistant/chat")
                    .then().statusCode(200).extract().path("session_id");
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
            for (int i = 0; i < TURNS; i++) {
                int n = i;
                sent.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                        return post(user, "/api/agents/assistant/chat?multitask=" + policy,
                                Map.of("session_id", session, "message", "turn " + n + " [[slow:5]] [[tokens:20]]"));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> f : sent) {
                HttpResponse<String> r = f.get();
                assertThat(r.statusCode()).as(policy + ": " + r.body()).isIn(200, 202, 409);
                statuses.add(r.statusCode());
            }
            if (policy.equals("enqueue")) {
                assertThat(statuses).as("enqueue never refuses").doesNotContain(409);
            } else {
                assertThat(statuses).doesNotContain(202);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> runs(user, session).stream()
                    .noneMatch(r -> ACTIVE.contains(r.path("status").asText())));
            List<JsonNode> runs = runs(user, session);
            assertThat(runs).allSatisfy(r -> assertThat(r.path("error").asText("")).doesNotContain("internal"));
            if (policy.equals("enqueue")) {
                assertThat(runs).hasSize(TURNS + 1).allSatisfy(r -> assertThat(r.path("status").asText()).isEqualTo("completed"));
            }
            List<Integer> sequences = Stored.steps(user, session).stream().map(s -> s.path("sequence").asInt()).toList();
            assertThat(sequences).containsExactlyElementsOf(IntStream.rangeClosed(1, sequences.size()).boxed().toList());
            assertThat(post(user, "/api/agents/assistant/chat", Map.of("session_id", session, "message", "after")).statusCode())
                    .isEqualTo(200);
            System.out.printf("[concurrency] %s round %d: %d turns -> %s%n", policy, round, TURNS,
                    statuses.stream().collect(java.util.stream.Collectors.groupingBy(s -> s, java.util.stream.Collectors.counting())));
        }
    }

    private static final java.util.Set<String> ACTIVE = java.util.Set.of("running", "pending", "paused");

    private static List<JsonNode> runs(String user, String session) {
        List<JsonNode> runs = new ArrayList<>();
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri("/api/sessions/" + session + "/runs"))
                    .header("X-User-Id", user).GET().build(), HttpResponse.BodyHandlers.ofString());
            JSON.readTree(r.body()).forEach(runs::add);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return runs;
    }

    private static HttpResponse<String> post(String user, String path, Map<String, ?> body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("X-User-Id", user)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://localhost:" + io.restassured.RestAssured.port + path);
    }
}
