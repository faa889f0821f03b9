package dev.agentdock.voice;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

/** What the service does with each server event of a call it holds (called in the call's order, one at a time). */
@ApplicationScoped
public class CallEvents {

    private final CallTimeline timeline;
    private final CallTools tools;
    private final CallHandoffs handoffs;
    private final CallGuardrails guardrails;

    CallEvents(CallTimeline timeline, CallTools tools, CallHandoffs handoffs, CallGuardrails guardrails) {
        this.timeline = timeline;
        this.tools = tools;
        this.handoffs = handoffs;
        this.guardrails = guardrails;
    }

    void handle(HeldCall call, JsonNode event) {
        try {
            switch (event.path("type").asText()) {
                case "conversation.item.done" -> timeline.itemDone(call.sessionId, event.path("item"), call.tripped);
                case "conversation.item.input_audio_transcription.completed" -> {
                    String itemId = event.path("item_id").asText(null);
                    String transcript = event.path("transcript").asText(null);
                    guardrails.userSaid(call, itemId, transcript);
                    timeline.userTranscript(call.sessionId, itemId, transcript, call.tripped.contains(itemId));
                }
                case "response.output_audio_transcript.delta", "response.output_text.delta" ->
                        guardrails.delta(call, event.path("item_id").asText(null), event.path("delta").asText(""));
                case "response.output_audio_transcript.done" -> guardrails.transcriptDone(call,
                        event.path("item_id").asText(null), event.path("transcript").asText(""));
                case "response.output_text.done" -> guardrails.transcriptDone(call,
                        event.path("item_id").asText(null), event.path("text").asText(""));
                case "response.function_call_arguments.done" -> {
                    String name = event.path("name").asText();
                    String toolCallId = event.path("call_id").asText();
                    if (CallHandoffs.isHandoff(name)) {
                        handoffs.follow(call, toolCallId, name);
                    } else {
                        tools.run(call, toolCallId, name, event.path("arguments").asText("{}"));
                    }
                }
                case "error" -> Log.warnf("call %s: the call reported an error: %s", call.callId,
                        event.path("error").path("message").asText());
                default -> {
                    // the rest (deltas, session and response lifecycle) carries nothing the service keeps
                }
            }
        } catch (RuntimeException e) {
            Log.errorf(e, "call %s (session %s): event %s could not be handled", call.callId, call.sessionId,
                    event.path("type").asText());
        }
    }
}
