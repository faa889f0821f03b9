package dev.agentdock.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/** The GA Realtime session object: what OpenAI fills in by default, and how a requested config is merged in. */
final class RealtimeSessions {

    private RealtimeSessions() {
    }

    static ObjectNode defaults(ObjectMapper mapper) {
        return defaults(mapper, "realtime");
    }

    static ObjectNode defaults(ObjectMapper mapper, String type) {
        ObjectNode s = mapper.createObjectNode();
        s.put("type", type);
        s.put("object", type.equals("realtime") ? "realtime.session" : "realtime.transcription_session");
        s.put("id", ReplyScript.randomId("sess_"));
        if (type.equals("realtime")) {
            s.put("model", "gpt-realtime");
            s.putArray("output_modalities").add("audio");
            s.put("instructions", "");
            s.putArray("tools");
            s.put("tool_choice", "auto");
            s.put("max_output_tokens", "inf");
            s.putNull("tracing");
            s.put("truncation", "auto");
            s.putNull("prompt");
        }
        s.put("expires_at", 0);
        ObjectNode audio = s.putObject("audio");
        ObjectNode input = audio.putObject("input");
        input.putObject("format").put("type", "audio/pcm").put("rate", 24000);
        input.putNull("transcription");
        input.putNull("noise_reduction");
        input.putObject("turn_detection").put("type", "server_vad").put("threshold", 0.5)
                .put("prefix_padding_ms", 300).put("silence_duration_ms", 200)
                .put("create_response", true).put("interrupt_response", true).putNull("idle_timeout_ms");
        if (type.equals("realtime")) {
            ObjectNode output = audio.putObject("output");
            output.putObject("format").put("type", "audio/pcm").put("rate", 24000);
            output.put("voice", "alloy");
            output.put("speed", 1.0);
        }
        s.putNull("include");
        return s;
    }

    /** Deep merge: objects are merged key by key, anything else from the request replaces the default. */
    static void merge(ObjectNode target, JsonNode source) {
        Iterator<Map.Entry<String, JsonNode>> fields = source.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals("id") || field.getKey().equals("object")) {
                continue;
            }
            JsonNode existing = target.get(field.getKey());
            if (existing instanceof ObjectNode obj && field.getValue().isObject()) {
                merge(obj, field.getValue());
            } else {
                target.set(field.getKey(), field.getValue().deepCopy());
            }
        }
    }
}
