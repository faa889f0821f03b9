package dev.agentdock.simulator;

import io.quarkus.arc.properties.IfBuildProperty;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Decides, deterministically from the input, what the simulated model answers: tool calls for {@code [[tool:...]]},
 * a quote of the tool results when they just came back, else an echo of the user text plus seeded filler words.
 */
@Singleton
@IfBuildProperty(name = "agentdock.simulator.enabled", stringValue = "true")
class ReplyScript {

    static final String MODE_HEADER = "x-sim-mode";
    static final String TTFT_HEADER = "x-sim-ttft-ms";
    static final String TOKEN_DELAY_HEADER = "x-sim-token-delay-ms";
    static final String REPLY_TOKENS_HEADER = "x-sim-reply-tokens";

    private static final int MAX_TOKENS = 100_000;
    private static final int ARGUMENT_PIECE = 8;
    private static final String[] FILLER = {
        "alpha", "bravo", "cedar", "delta", "ember", "fjord", "garnet", "harbor", "indigo", "juniper", "kettle",
        "lantern", "meadow", "nimbus", "orchid", "pebble", "quartz", "river", "saffron", "timber", "umber", "velvet",
        "willow", "xenon", "yarrow", "zephyr", "amber", "basalt", "cobalt", "dune", "echo", "falcon", "glacier",
        "hollow", "island", "jasper", "kestrel", "lagoon", "marble", "nectar", "onyx", "prairie", "quill", "ridge",
        "sierra", "tundra", "upland", "vista", "walnut", "yonder", "zenith", "anchor", "beacon", "canyon", "drift",
        "estuary", "forest", "granite", "horizon", "inlet", "jetty", "knoll", "ledge", "mesa"
    };

    static final String CONTEXT_MARKER = "[[context]]";
    private static final java.util.regex.Pattern LOOP =
            java.util.regex.Pattern.compile("\\[\\[loop:([A-Za-z0-9_.\\-]+)\\s*(.*?)\\]\\](?=\\s|$)", java.util.regex.Pattern.DOTALL);

    @Inject
    SimulatorConfig config;

    /** Reads markers from the last user text and the {@code x-sim-*} headers and plans the reply. */
    ReplyPlan plan(Conversation conversation, HttpServerRequest request, String seed) {
        Markers markers = Markers.parse(conversation.lastUserText(), request.getHeader(MODE_HEADER));
        int tokens = clamp(firstNonNull(markers.tokens(), intHeader(request, REPLY_TOKENS_HEADER),
                config.defaultReplyTokens()));
        long ttft = firstNonNull(longHeader(request, TTFT_HEADER), config.firstTokenDelay().toMillis());
        long delay = firstNonNull(markers.slowMs(), longHeader(request, TOKEN_DELAY_HEADER),
                config.tokenDelay().toMillis());
        String salt = seed == null ? "-" : seed;

        // [[context]]: the reply describes what the model received, so tests can see the context a turn built.
        if (conversation.lastUserText().contains(CONTEXT_MARKER) && !conversation.endsWithToolResults()) {
            String described = "Context: roles=" + String.join(",", conversation.roles()) + " users="
                    + String.join(" | ", conversation.userTexts().stream().map(Markers::strip).toList());
            return new ReplyPlan(tokens(List.of(described.split(" "))), List.of(), markers.failure(), ttft, delay,
                    conversation.promptTokens());
        }
        // [[loop:NAME {json}]]: call the tool again and again, even after its results (to reach max_steps).
        java.util.regex.Matcher loop = LOOP.matcher(conversation.lastUserText());
        if (loop.find()) {
            String args = loop.group(2).isBlank() ? "{}" : loop.group(2).strip();
            return new ReplyPlan(List.of(), List.of(new ReplyPlan.PlannedCall(randomId("call_"), loop.group(1), args,
                    splitArguments(args))), markers.failure(), ttft, delay, conversation.promptTokens());
        }
        // Tool results win over tool markers: the marker is still in the last user message after the tools ran.
        if (conversation.endsWithToolResults()) {
            return new ReplyPlan(toolResultTokens(conversation.toolResults(), salt, tokens), List.of(),
                    markers.failure(), ttft, delay, conversation.promptTokens());
        }
        if (!markers.tools().isEmpty()) {
            List<ReplyPlan.PlannedCall> calls = new ArrayList<>();
            for (Markers.ToolMarker tool : markers.tools()) {
                calls.add(new ReplyPlan.PlannedCall(randomId("call_"), tool.name(), tool.arguments(),
                        splitArguments(tool.arguments())));
            }
            return new ReplyPlan(List.of(), List.copyOf(calls), markers.failure(), ttft, delay,
                    conversation.promptTokens());
        }
        return new ReplyPlan(echoTokens(conversation.lastUserText(), salt, tokens), List.of(), markers.failure(),
                ttft, delay, conversation.promptTokens());
    }

    /** "Echo: first words of the user text" followed by filler chosen by hash(text + seed); exactly {@code n} words. */
    static List<String> echoTokens(String userText, String seed, int n) {
        List<String> words = new ArrayList<>(n);
        if (n == 0) {
            return words;
        }
        words.add("Echo:");
        String stripped = Markers.strip(userText);
        String[] userWords = stripped.isBlank() ? new String[0] : stripped.split("\\s+");
        int echoed = Math.min(Math.min(8, userWords.length), (n - 1) / 2);
        for (int i = 0; i < echoed; i++) {
            words.add(userWords[i]);
        }
        addFiller(words, n, userText + '\u0000' + seed);
        return tokens(words);
    }

    /** "Tool results: name=content; ..." then filler up to {@code n} words (at least two filler words). */
    static List<String> toolResultTokens(List<Conversation.ToolResult> results, String seed, int n) {
        StringBuilder sb = new StringBuilder("Tool results:");
        for (int i = 0; i < results.size(); i++) {
            Conversation.ToolResult result = results.get(i);
            sb.append(' ').append(result.name()).append('=').append(result.content().strip())
                    .append(i == results.size() - 1 ? "." : ";");
        }
        List<String> words = new ArrayList<>(List.of(sb.toString().split("\\s+")));
        addFiller(words, Math.max(n, words.size() + 2), sb + "\u0000" + seed);
        return tokens(words);
    }

    /** Arguments in pieces of a few characters; always at least two pieces when there are two characters or more. */
    static List<String> splitArguments(String arguments) {
        int len = arguments.length();
        if (len < 2) {
            return List.of(arguments);
        }
        int piece = Math.min(ARGUMENT_PIECE, (len + 1) / 2);
        List<String> parts = new ArrayList<>(len / piece + 1);
        for (int i = 0; i < len; i += piece) {
            parts.add(arguments.substring(i, Math.min(len, i + piece)));
        }
        return parts;
    }

    static String randomId(String prefix) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder sb = new StringBuilder(prefix);
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        for (int i = 0; i < 24; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** FNV-1a: stable across JVMs and runs, unlike String.hashCode salts or identity hashes. */
    static long hash(String text) {
        long h = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    private static void addFiller(List<String> words, int n, String key) {
        SplittableRandom random = new SplittableRandom(hash(key));
        while (words.size() < n) {
            words.add(FILLER[random.nextInt(FILLER.length)]);
        }
    }

    /** A token is a word plus its trailing space; the last one has none, so the tokens concatenate to the text. */
    private static List<String> tokens(List<String> words) {
        List<String> tokens = new ArrayList<>(words.size());
        for (int i = 0; i < words.size(); i++) {
            tokens.add(i == words.size() - 1 ? words.get(i) : words.get(i) + ' ');
        }
        return tokens;
    }

    private static int clamp(int tokens) {
        return Math.max(0, Math.min(MAX_TOKENS, tokens));
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... values) {
        for (T value : values) {
            if (value != null) {
                return value;
            }
        }
        throw new IllegalStateException("no default");
    }

    private static Integer intHeader(HttpServerRequest request, String name) {
        Long value = longHeader(request, name);
        return value == null ? null : (int) Math.min(Integer.MAX_VALUE, value);
    }

    private static Long longHeader(HttpServerRequest request, String name) {
        String value = request.getHeader(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Math.max(0, Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
