package dev.agentdock.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.agentdock.common.MetricsScrape;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Limits are counted in Redis, so requests another instance counted are this instance's too. The chat group is
 * exercised with bodies that fail validation (422): counting happens before the resource, and no model is needed.
 */
@QuarkusTest
@TestProfile(JwtProfile.class)
class RateLimitTest {

    private static final String CHAT_ROUTE = "/api/sdk/session/message";
    private static final long WINDOW_MS = Duration.ofHours(1).toMillis();

    private static Response chat(RequestSpecification caller) {
        return caller.contentType(ContentType.JSON).body("{}").post(CHAT_ROUTE);
    }

    /** Counts {@code requests} for the user in the current window (and the next, in case the test straddles it). */
    private void countedElsewhere(String userId, int requests) {
        long start = RateLimiter.windowStart(System.currentTimeMillis(), WINDOW_MS);
        for (long window : new long[] {start, start + WINDOW_MS}) {
            String key = RateLimiter.key(RateLimitGroup.CHAT, userId, window);
            // straight to Redis, as another instance would count (so the packaged jar's suite can too)
            for (int i = 0; i < requests; i++) {
                dev.agentdock.RedisPeer.command("INCR", key);
            }
            dev.agentdock.RedisPeer.command("PEXPIRE", key, Long.toString(WINDOW_MS * 2));
        }
    }

    @Test
    void requestsCountedByAnotherInstanceUseUpTheLimitHere() {
        String user = "user-" + UUID.randomUUID();
        countedElsewhere(user, JwtProfile.CHAT_LIMIT);

        Response refused = chat(given().header("Authorization", JwtProfile.bearer(user)));
        refused.then().statusCode(429)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://agentdock.dev/problems/rate-limited"))
                .body("status", equalTo(429));
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertThat(retryAfter).isBetween(1L, WINDOW_MS / 1000);
        assertThat(refused.jsonPath().getLong("retry_after")).isEqualTo(retryAfter);
    }

    @Test
    void theRequestAfterTheLimitIsRefused() {
        String user = "user-" + UUID.randomUUID();
        for (int i = 0; i < JwtProfile.CHAT_LIMIT; i++) {
            chat(given().header("Authorization", JwtProfile.bearer(user))).then().statusCode(422);
        }
        chat(given().header("Authorization", JwtProfile.bearer(user))).then().statusCode(429)
                .header("Retry-After", Long::parseLong, org.hamcrest.Matchers.greaterThan(0L));
        // Another user has a budget of its own.
        chat(given().header("Authorization", JwtProfile.bearer("user-" + UUID.randomUUID()))).then().statusCode(422);
    }

    @Test
    void everyRefusalIsCountedInItsGroup() {
        String user = "user-" + UUID.randomUUID();
        countedElsewhere(user, JwtProfile.CHAT_LIMIT);
        MetricsScrape before = MetricsScrape.now();

        chat(given().header("Authorization", JwtProfile.bearer(user))).then().statusCode(429);
        chat(given().header("Authorization", JwtProfile.bearer(user))).then().statusCode(429);
        chat(given().header("Authorization", JwtProfile.bearer("user-" + UUID.randomUUID()))).then().statusCode(422);

        MetricsScrape after = MetricsScrape.now();
        assertThat(after.since(before, "agentdock_rate_limit_rejections_total", "group", "chat")).isEqualTo(2);
        assertThat(after.since(before, "agentdock_rate_limit_rejections_total", "group", "tools")).isZero();
        assertThat(after.has("agentdock_rate_limit_rejections_total", "group", "bootstrap")).isTrue();
    }

    @Test
    void serviceKeyCallersAreExempt() {
        String user = "user-" + UUID.randomUUID();
        countedElsewhere(user, JwtProfile.CHAT_LIMIT + 5);
        chat(given().header("X-Service-Key", JwtProfile.SERVICE_KEY).header("X-User-Id", user)).then().statusCode(422);
        chat(given().header("Authorization", JwtProfile.bearer(user))).then().statusCode(429);
    }

    @Test
    void routesOutsideTheGroupsAreNotLimited() {
        String user = "user-" + UUID.randomUUID();
        countedElsewhere(user, JwtProfile.CHAT_LIMIT + 5);
        for (int i = 0; i < JwtProfile.CHAT_LIMIT + 2; i++) {
            given().header("Authorization", JwtProfile.bearer(user)).get("/api/agents/assistant/sessions")
                    .then().statusCode(200);
        }
    }

    @Test
    void theResponsesProxyNeedsATokenAndHasABudgetOfItsOwn() {
        String user = "user-" + UUID.randomUUID();
        String outsideAllowlist = "{\"model\":\"not-a-model\",\"input\":\"hi\"}";
        given().contentType(ContentType.JSON).body(outsideAllowlist).post("/api/responses").then().statusCode(401)
                .contentType(startsWith("application/problem+json"));
        // Refused by the proxy's own check (422, so no OpenAI call): the body was still there after the async gate.
        for (int i = 0; i < JwtProfile.RESPONSES_LIMIT; i++) {
            given().header("Authorization", JwtProfile.bearer(user)).contentType(ContentType.JSON)
                    .body(outsideAllowlist).post("/api/responses").then().statusCode(422);
        }
        given().header("Authorization", JwtProfile.bearer(user)).contentType(ContentType.JSON)
                .body(outsideAllowlist).post("/api/responses").then().statusCode(429)
                .body("type", equalTo("https://agentdock.dev/problems/rate-limited"))
                .header("Retry-After", Long::parseLong, org.hamcrest.Matchers.greaterThan(0L));
        // the chat budget is untouched
        chat(given().header("Authorization", JwtProfile.bearer(user))).then().statusCode(422);
    }

    @Test
    void unauthenticatedRequestsAreRefusedBeforeTheyAreCounted() {
        given().contentType(ContentType.JSON).body("{}").post(CHAT_ROUTE).then().statusCode(401);
    }
}
