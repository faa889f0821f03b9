package dev.agentdock.faults;

import static org.awaitility.Awaitility.await;

import dev.agentdock.run.SseChatClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** A long streamed turn of a fresh session, started and a few deltas in: what a fault is then done to. */
record LongTurn(String user, String session, UUID runId, List<SseChatClient.Frame> seen,
                CompletableFuture<List<SseChatClient.Frame>> frames) {

    static LongTurn start(SseChatClient sse) {
        String user = "user-" + UUID.randomUUID();
        String session = sse.chat("assistant", user, Map.of("message", "hi")).getLast().event().get("session_id").asText();
        UUID runId = UUID.randomUUID();
        List<SseChatClient.Frame> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<List<SseChatClient.Frame>> frames = CompletableFuture.supplyAsync(() -> sse.chat("assistant",
                user, Map.of("session_id", session, "run_id", runId.toString(), "message", "long [[slow:30]] [[tokens:600]]"),
                null, null, seen::add));
        await().atMost(Duration.ofSeconds(20)).until(() -> seen.stream().filter(f -> f.type().equals("step_delta")).count() >= 5);
        return new LongTurn(user, session, runId, seen, frames);
    }
}
