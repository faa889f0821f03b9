package dev.agentdock.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Behaviour switches that tests embed in the last user message (or send in the {@code x-sim-mode} header):
 * {@code [[tool:NAME {json}]]}, {@code [[fail:429|429-once|500|401|cut|malformed|stall]]}, {@code [[slow:MS]]},
 * {@code [[tokens:N]]}; the reply script also reads {@code [[context]]} and {@code [[loop:NAME {json}]]}.
 */
record Markers(List<ToolMarker> tools, Failure failure, Long slowMs, Integer tokens) {

    enum Failure { NONE, RATE_LIMIT, RATE_LIMIT_ONCE, SERVER_ERROR, UNAUTHORIZED, CUT, MALFORMED, STALL }

    /** A requested tool call; {@code arguments} is passed through verbatim, even when it is not valid JSON. */
    record ToolMarker(String name, String arguments) {}

    static final Markers NONE = new Markers(List.of(), Failure.NONE, null, null);

    // Tool arguments may contain "]]" (nested arrays), so a marker only ends at a "]]" followed by whitespace,
    // the end of the text or the next marker.
    private static final Pattern TOOL = Pattern.compile("\\[\\[tool:([A-Za-z0-9_.\\-]+)\\s*(.*?)\\]\\](?=\\s|$|\\[\\[)",
            Pattern.DOTALL);
    private static final Pattern FAIL = Pattern.compile("\\[\\[fail:(429-once|429|500|401|cut|malformed|stall)\\]\\]");
    private static final Pattern SLOW = Pattern.compile("\\[\\[slow:(\\d{1,7})\\]\\]");
    private static final Pattern TOKENS = Pattern.compile("\\[\\[tokens:(\\d{1,6})\\]\\]");
    private static final Pattern ANY = Pattern.compile(
            TOOL.pattern() + "|" + FAIL.pattern() + "|" + SLOW.pattern() + "|" + TOKENS.pattern(), Pattern.DOTALL);

    /** Markers of the header win over those of the text; tool markers from both are combined (header first). */
    static Markers parse(String text, String headerMode) {
        Markers fromText = parseOne(text);
        if (headerMode == null || headerMode.isBlank()) {
            return fromText;
        }
        String mode = headerMode.strip();
        Markers fromHeader = parseOne(mode.startsWith("[[") ? mode : "[[" + mode + "]]");
        List<ToolMarker> tools = new ArrayList<>(fromHeader.tools);
        tools.addAll(fromText.tools);
        return new Markers(List.copyOf(tools),
                fromHeader.failure != Failure.NONE ? fromHeader.failure : fromText.failure,
                fromHeader.slowMs != null ? fromHeader.slowMs : fromText.slowMs,
                fromHeader.tokens != null ? fromHeader.tokens : fromText.tokens);
    }

    private static Markers parseOne(String text) {
        if (text == null || !text.contains("[[")) {
            return NONE;
        }
        List<ToolMarker> tools = new ArrayList<>();
        Matcher tool = TOOL.matcher(text);
        while (tool.find()) {
            String args = tool.group(2).strip();
            tools.add(new ToolMarker(tool.group(1), args.isEmpty() ? "{}" : args));
        }
        Failure failure = Failure.NONE;
        Matcher fail = FAIL.matcher(text);
        if (fail.find()) {
            failure = switch (fail.group(1)) {
                case "429" -> Failure.RATE_LIMIT;
                case "429-once" -> Failure.RATE_LIMIT_ONCE;
                case "500" -> Failure.SERVER_ERROR;
                case "401" -> Failure.UNAUTHORIZED;
                case "cut" -> Failure.CUT;
                case "malformed" -> Failure.MALFORMED;
                default -> Failure.STALL;
            };
        }
        Matcher slow = SLOW.matcher(text);
        Matcher tokens = TOKENS.matcher(text);
        return new Markers(List.copyOf(tools), failure,
                slow.find() ? Long.valueOf(slow.group(1)) : null,
                tokens.find() ? Integer.valueOf(tokens.group(1)) : null);
    }

    /** The text without any marker, so echoes stay readable. */
    static String strip(String text) {
        if (text == null || !text.contains("[[")) {
            return text == null ? "" : text;
        }
        return ANY.matcher(text).replaceAll(" ").replaceAll("\\s+", " ").strip();
    }

    Markers withoutTools() {
        return tools.isEmpty() ? this : new Markers(List.of(), failure, slowMs, tokens);
    }
}
