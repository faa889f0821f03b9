package dev.agentdock.orchestration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdock.RedisPeer;
import dev.agentdock.SocketProbe;
import dev.agentdock.run.SseChatClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OrchestrationSocketTest {

    @TestHTTPResource("/")
    URI base;

    private final SseChatClient sse = new SseChatClient();

    private String newSession(String user) {
        return sse.chat("assistant", user, Map.of("message", "hello")).getLast().event().get("session_id").asText();
    }

    private static String runIdOf(List<SseChatClient.Frame> frames) {
        return frames.getFirst().event().get("run_id").asText();
    }

    /** run_id to session_id of the run_completed frames the probe has. */
    private static Map<String, String> completedRuns(SocketProbe probe) {
        return probe.ofType("run_completed").stream().collect(java.util.stream.Collectors.toMap(
                f -> f.at("/data/run_id").asText(), f -> f.path("session_id").asText(), (a, b) -> a));
    }

    /** The id of that run's completion on the socket, once it has arrived. */
    private static String awaitCompletion(SocketProbe probe, String runId) {
        await().pollInSameThread().atMost(Duration.ofSeconds(15)).until(() -> completedRuns(probe).containsKey(runId));
        return probe.ofType("run_completed").stream().filter(f -> f.at("/data/run_id").asText().equals(runId))
                .findFirst().orElseThrow().path("id").asText();
    }

    private static void awaitTypes(SocketProbe probe, String... types) {
        await().pollInSameThread().atMost(Duration.ofSeconds(15)).until(() -> probe.types().containsAll(List.of(types)));
    }

    @Test
    void theOwnersSocketHearsTheRunEventsAndToolResultsOfItsSession() {
        String user = "user-" + UUID.randomUUID();
        String session = newSession(user);
        try (SocketProbe probe = SocketProbe.open(base, "/ws/sessions/" + session, user)) {
            sse.chat("assistant", user, Map.of("session_id", session, "message", "[[tool:echo {\"text\":\"ws\"}]]"));
            awaitTypes(probe, "run_started", "tool_result", "run_completed");

            JsonNode result = probe.ofType("tool_result").getFirst();
            assertThat(result.path("id").asText()).matches("\\d+-\\d+");
            assertThat(result.path("session_id").asText()).isEqualTo(session);
            assertThat(result.path("ts").asText()).isNotBlank();
            assertThat(result.at("/data/name").asText()).isEqualTo("echo");
            assertThat(result.at("/data/result").asText()).isEqualTo("ws");
            assertThat(result.at("/data/run_id").asText()).isNotBlank();
            assertThat(probe.types()).doesNotContain("step_delta");
        }
    }

    @Test
    void theUserChannelCarriesTheEventsOfAllTheUsersSessions() {
        String user = "user-" + UUID.randomUUID();
        String first = newSession(user);
        String second = newSession(user);
        try (SocketProbe me = SocketProbe.open(base, "/ws/me", user)) {
            String one = runIdOf(sse.chat("assistant", user, Map.of("session_id", first, "message", "one")));
            String two = runIdOf(sse.chat("assistant", user, Map.of("session_id", second, "message", "two")));
            // the first turns' own completions may still be on their way when the socket opens: runs are told apart
            await().pollInSameThread().atMost(Duration.ofSeconds(15))
                    .until(() -> completedRuns(me).containsKey(one) && completedRuns(me).containsKey(two));
            assertThat(completedRuns(me)).containsEntry(one, first).containsEntry(two, second);
            assertThat(me.ofType("run_completed")).extracting(f -> f.path("session_id").asText())
                    .allMatch(s -> s.equals(first) || s.equals(second));
        }
    }

    @Test
    void anotherUsersOrAnUnknownSessionIsClosedWith4404() {
        String owner = "user-" + UUID.randomUUID();
        String session = newSession(owner);
        assertThatThrownBy(() -> SocketProbe.open(base, "/ws/sessions/" + session, "intruder"))
                .hasMessageContaining("404");
        assertThatThrownBy(() -> SocketProbe.open(base, "/ws/sessions/" + UUID.randomUUID(), owner))
                .hasMessageContaining("404");
        assertThatThrownBy(() -> SocketProbe.open(base, "/ws/sessions/not-a-uuid", owner))
                .hasMessageContaining("404");
    }

    @Test
    void aMalformedFrameGetsAnErrorFrameAndTheSocketStaysOpen() {
        String user = "user-" + UUID.randomUUID();
        try (SocketProbe probe = SocketProbe.open(base, "/ws/sessions/" + newSession(user), user)) {
            probe.send("{not json");
            probe.send("{\"type\":\"dance\"}");
            probe.send("{\"type\":\"resume\"}");
            probe.send("{\"type\":\"ping\"}");
            await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() -> probe.types().contains("pong"));
            assertThat(probe.ofType("error")).hasSize(3);
            assertThat(probe.ofType("error").get(1).at("/data/detail").asText()).contains("dance");
            assertThat(probe.isOpen()).isTrue();
        }
    }

    @Test
    void aReconnectingClientGetsExactlyWhatItMissedThenLiveEvents() {
        String user = "user-" + UUID.randomUUID();
        String session = newSession(user);
        String lastSeen;
        try (SocketProbe first = SocketProbe.open(base, "/ws/sessions/" + session, user)) {
            String one = runIdOf(sse.chat("assistant", user, Map.of("session_id", session, "message", "turn one")));
            lastSeen = awaitCompletion(first, one);
            assertThat(first.ids().getLast()).isEqualTo(lastSeen);
        }
        // while nobody listens
        sse.chat("assistant", user, Map.of("session_id", session, "message", "turn two [[tool:echo {\"text\":\"x\"}]]"));
        List<String> missedTypes = List.of("run_started", "tool_result", "run_completed");

        try (SocketProbe again = SocketProbe.open(base, "/ws/sessions/" + session + "?last_event_id=" + lastSeen, user)) {
            await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() -> again.frames.size() >= 3);
            assertThat(again.types().subList(0, 3)).isEqualTo(missedTypes);
            sse.chat("assistant", user, Map.of("session_id", session, "message", "turn three"));
            await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() -> again.frames.size() >= 5);
            assertThat(again.types()).isEqualTo(List.of("run_started", "tool_result", "run_completed", "run_started", "run_completed"));
            assertThat(again.ids()).doesNotHaveDuplicates().isSorted().allMatch(id -> StreamIds.after(id, lastSeen));
        }
    }

    @Test
    void anEventPublishedByAnotherInstanceReachesTheSocket() {
        String user = "user-" + UUID.randomUUID();
        String session = newSession(user);
        try (SocketProbe probe = SocketProbe.open(base, "/ws/sessions/" + session, user)) {
            // exactly what a peer instance's bus sends on the shared channel
            String frame = "{\"type\":\"agent_switch\",\"session_id\":\"" + session + "\",\"user_id\":\"" + user
                    + "\",\"ts\":\"2026-11-23T08:00:00Z\",\"data\":{\"from\":\"greeter\",\"to\":\"haiku\"}}";
            assertThat(RedisPeer.publish(SessionEventBus.CHANNEL, "9999999999999-0 9999999999999-0 " + frame))
                    .as("instances listening on the channel").isPositive();
            await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() -> probe.types().contains("agent_switch"));
            assertThat(probe.ofType("agent_switch").getFirst().at("/data/to").asText()).isEqualTo("haiku");
        }
    }
}
