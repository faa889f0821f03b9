package dev.agentdock.simulator;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
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
 *
 * <p>The per-token chunks differ only in one string, so each kind is serialized once per stream with a marker in
 * that place and the token is spliced in, JSON-escaped: the simulator stands in for a remote model in the
 * benchmarks, where it shares the cores with the service, so it must cost next to nothing per token.
 */
final class ChatChunks {

    private static final String MARK = "\u0000mark\u0000";

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
        if (!plan.textTokens().isEmpty()) {
            Template content = new Template(chunk(new Delta(null, MARK, null), null));
            for (String token : plan.textTokens()) {
                out.add(new Rendered(content.with(token), true));
            }
        }
        for (int i = 0; i < plan.calls().size(); i++) {
            ReplyPlan.PlannedCall call = plan.calls().get(i);
            // The first chunk of a call names it; the arguments string then arrives in pieces keyed by index only.
            out.add(new Rendered(toolChunk(new ToolCallDelta(i, call.id(), "function",
                    new FunctionDelta(call.name(), ""))), true));
            Template arguments = new Template(toolChunk(new ToolCallDelta(i, null, null,
                    new FunctionDelta(null, MARK))));
            for (String part : call.argumentParts()) {
                out.add(new Rendered(arguments.with(part), true));
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

    /** A chunk serialized with {@link #MARK} as one string value; {@link #with} puts a real value there. */
    private static final class Template {

        private static final String ESCAPED_MARK = new String(JsonStringEncoder.getInstance().quoteAsString(MARK));

        private final String head;
        private final String tail;

        Template(String json) {
            int at = json.indexOf(ESCAPED_MARK);
            if (at < 0 || json.indexOf(ESCAPED_MARK, at + 1) >= 0) {
                throw new IllegalStateException("the marker must occur exactly once in " + json);
            }
            this.head = json.substring(0, at);
            this.tail = json.substring(at + ESCAPED_MARK.length());
        }

        String with(String value) {
            char[] escaped = JsonStringEncoder.getInstance().quoteAsString(value);
            return new StringBuilder(head.length() + escaped.length + tail.length())
                    .append(head).append(escaped).append(tail).toString();
        }
    }

    private String toolChunk(ToolCallDelta delta) {
        return chunk(new Delta(null, null, List.of(delta)), null);
    }

    private String chunk(Delta delta, String finishReason) {
        return http.write(new Chunk(id, "chat.completion.chunk", created, model, ChatWire.FINGERPRINT,
                List.of(new ChunkChoice(0, delta, null, finishReason)), null));
    }
}
