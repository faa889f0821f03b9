package dev.agentdock.voice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.agentdock.session.SessionRepository;
import dev.agentdock.session.Step;
import dev.agentdock.session.StepQuota;
import dev.agentdock.session.StepRepository;
import io.quarkus.logging.Log;
import dev.agentdock.session.StepRole;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * A call's finalized items as steps of its session, in the order the call finalized them and once each (by item
 * id): user transcriptions (or typed text), assistant transcripts or text, function calls and their outputs.
 */
@ApplicationScoped
public class CallTimeline {

    /** The error of a step a guardrail blocked. */
    static final String TRIPPED = "guardrail_tripped";

    private final StepRepository steps;
    private final SessionRepository sessions;
    private final VoiceToolCallRepository toolCalls;
    private final StepQuota quota;

    CallTimeline(StepRepository steps, SessionRepository sessions, VoiceToolCallRepository toolCalls, StepQuota quota) {
        this.quota = quota;
        this.steps = steps;
        this.sessions = sessions;
        this.toolCalls = toolCalls;
    }

    /** A {@code conversation.item.done} item; user audio waits for its transcription. */
    public void itemDone(UUID sessionId, JsonNode item, java.util.Set<String> tripped) {
        String id = item.path("id").asText("");
        // empty, or the session's own history put on the call (RealtimeHistory): nothing new to store
        if (id.isEmpty() || id.startsWith(dev.agentdock.realtime.RealtimeHistory.ID_PREFIX)) {
            return;
        }
        switch (item.path("type").asText()) {
            case "message" -> {
                String role = item.path("role").asText();
                String text = text(item.path("content"));
                boolean blocked = tripped.contains(id);
                if (role.equals("user") && text != null) {
                    store(sessionId, id, StepRole.USER, text, s -> s.error = blocked ? TRIPPED : null);
                } else if (role.equals("assistant") && text != null) {
                    boolean cut = item.path("status").asText().equals("incomplete");
                    store(sessionId, id, StepRole.ASSISTANT, text, s -> {
                        s.interrupted = cut;
                        s.error = blocked ? TRIPPED : null;
                    });
                }
            }
            case "function_call" -> {
                ArrayNode calls = JsonNodeFactory.instance.arrayNode();
                calls.addObject().put("id", item.path("call_id").asText()).put("type", "function").putObject("function")
                        .put("name", item.path("name").asText()).put("arguments", item.path("arguments").asText("{}"));
                store(sessionId, id, StepRole.ASSISTANT, null, s -> s.toolCalls = calls.toString());
            }
            case "function_call_output" -> store(sessionId, id, StepRole.TOOL, item.path("output").asText(""), s -> {
                s.toolCallId = item.path("call_id").asText();
                s.toolName = toolName(sessionId, s.toolCallId);
                s.name = s.toolName;
            });
            default -> {
                // other item types (e.g. MCP) are not part of the text timeline
            }
        }
    }

    public void userTranscript(UUID sessionId, String itemId, String transcript, boolean blocked) {
        if (itemId != null && !itemId.isBlank() && transcript != null && !transcript.isBlank()) {
            store(sessionId, itemId, StepRole.USER, transcript, s -> s.error = blocked ? TRIPPED : null);
        }
    }

    @Transactional
    void store(UUID sessionId, String itemId, StepRole role, String content, java.util.function.Consumer<Step> extra) {
        if (steps.findByExternalId(sessionId, itemId).isPresent()) {
            return;
        }
        Step step = new Step();
        step.sessionId = sessionId;
        step.externalId = itemId;
        step.provider = "realtime";
        step.role = role;
        step.content = content;
        step.completedAt = OffsetDateTime.now(ZoneOffset.UTC);
        extra.accept(step);
        int stored = steps.maxSequence(sessionId);
        if (stored >= quota.maxSteps()) {
            // the call goes on; its session stops growing (the Dock's own item writes get the 422)
            Log.warnf("session %s is full (%d steps): call item %s not stored", sessionId, stored, itemId);
            return;
        }
        step.sequence = stored + 1;
        steps.save(step);
        sessions.touch(sessionId);
    }

    private String toolName(UUID sessionId, String callId) {
        return toolCalls.findByToolCall(sessionId, callId).map(c -> c.name).orElse(null);
    }

    private static String text(JsonNode content) {
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            String piece = part.hasNonNull("text") ? part.get("text").asText() : part.path("transcript").asText("");
            if (!piece.isBlank()) {
                text.append(text.isEmpty() ? "" : " ").append(piece);
            }
        }
        return text.isEmpty() ? null : text.toString();
    }
}
