package dev.agentdock.simulator;

import dev.agentdock.simulator.ChatWire.Chunk;
import dev.agentdock.simulator.ChatWire.ChunkChoice;
import dev.agentdock.simulator.ChatWire.Delta;
import dev.agentdock.simulator.ChatWire.FunctionDelta;
import dev.agentdock.simulator.ChatWire.ToolCallDelta;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a {@link ReplyPlan} as {@code chat.completion.chunk} payloads (JSON strings, without the SSE framing),
 * marking which of them are "tokens" that pacing applies to.
 */
final class ChatChunks {

    /** A rendered chunk; {@code token} chunks are the ones separated by the token delay. */
    record Rendered(String json, boolean token) {}

    private final SimulatorHttp http;
    private final String id;
    private final long created;
    private final String model;

    ChatChunks(SimulatorHttp http, String id, long created, String model) {
        this.http = http;
        this.id = id;
        this.created = created;
        this.model = model;
    }

    /** Role chunk, one chunk per token or argument piece, the finish chunk and, if asked for, the usage chunk. */
    List<Rendered> render(ReplyPlan plan, boolean includeUsage) {
        List<Rendered> out = new ArrayList<>(plan.completionTokens() + plan.calls().size() + 3);
        out.add(new Rendered(chunk(new Delta("assistant", "", null), null), false));
        for (String token : plan.textTokens()) {
            out.add(new Rendered(chunk(new Delta(null, token, null), null), true));
        }
        for (int i = 0; i < plan.calls().size(); i++) {
            ReplyPlan.PlannedCall call = plan.calls().get(i);
            // The first chunk of a call names it; the arguments string then arrives in pieces keyed by index only.
            out.add(new Rendered(toolChunk(new ToolCallDelta(i, call.id(), "function",
                    new FunctionDelta(call.name(), ""))), true));
            for (String part : call.argumentParts()) {
                out.add(new Rendered(toolChunk(new ToolCallDelta(i, null, null, new FunctionDelta(null, part))),
                        true));
            }
        }
        out.add(new Rendered(chunk(new Delta(null, null, null), plan.finishReason()), false));
        if (includeUsage) {
            out.add(new Rendered(http.write(new Chunk(id, "chat.completion.chunk", created, model,
                    ChatWire.FINGERPRINT, List.of(),
                    ChatWire.Usage.of(plan.promptTokens(), plan.completionTokens()))), false));
        }
        return out;
    }

    /** The first {@code n} token chunks (with the role chunk in front): what a broken stream delivers. */
    static List<Rendered> firstTokens(List<Rendered> all, int n) {
        List<Rendered> out = new ArrayList<>();
        int tokens = 0;
        for (Rendered r : all) {
            if (r.token() && tokens++ >= n) {
                break;
            }
            if (!r.token() && tokens > 0) {
                break;
            }
            out.add(r);
        }
        return out;
    }

    private String toolChunk(ToolCallDelta delta) {
        return chunk(new Delta(null, null, List.of(delta)), null);
    }

    private String chunk(Delta delta, String finishReason) {
        return http.write(new Chunk(id, "chat.completion.chunk", created, model, ChatWire.FINGERPRINT,
                List.of(new ChunkChoice(0, delta, null, finishReason)), null));
    }
}
