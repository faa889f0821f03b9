package dev.agentdock.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the simulated Realtime model answers, decided from the conversation so a test can play the user
 * deterministically: the last user message's markers ({@code [[tool:NAME {json}]]}, {@code [[handoff:AGENT]]} =
 * a {@code transfer_to_AGENT} call, {@code [[say:TEXT]]}, {@code [[slow:MS]]} per transcript delta), and after a
 * tool output a sentence that quotes it.
 */
final class RealtimeReplies {

    sealed interface Output permits Speech, FunctionCall {
    }

    record Speech(String text) implements Output {
    }

    record FunctionCall(String name, String arguments) implements Output {
    }

    record Plan(List<Output> outputs, long deltaDelayMs) {
    }

    private static final Pattern HANDOFF = Pattern.compile("\\[\\[handoff:([A-Za-z0-9_\\-]+)\\]\\]");
    private static final Pattern SAY = Pattern.compile("\\[\\[say:(.*?)\\]\\]", Pattern.DOTALL);

    private RealtimeReplies() {
    }

    static Plan plan(List<? extends JsonNode> items) {
        JsonNode last = items.isEmpty() ? null : items.getLast();
        if (last != null && last.path("type").asText().equals("function_call_output")) {
            String output = last.path("output").asText("");
            return new Plan(List.of(new Speech("The tool answered: " + abbreviate(output, 200))), 0);
        }
        String said = lastUserText(items);
        if (said == null) {
            return new Plan(List.of(new Speech("How can I help?")), 0);
        }
        Markers markers = Markers.parse(said, null);
        long delay = markers.slowMs() == null ? 0 : markers.slowMs();
        List<Output> outputs = new ArrayList<>();
        Matcher handoff = HANDOFF.matcher(said);
        while (handoff.find()) {
            outputs.add(new FunctionCall("transfer_to_" + handoff.group(1), "{}"));
        }
        markers.tools().forEach(t -> outputs.add(new FunctionCall(t.name(), t.arguments())));
        if (!outputs.isEmpty()) {
            return new Plan(outputs, delay);
        }
        Matcher say = SAY.matcher(said);
        if (say.find()) {
            return new Plan(List.of(new Speech(say.group(1).strip())), delay);
        }
        String plain = Markers.strip(HANDOFF.matcher(said).replaceAll(" "));
        return new Plan(List.of(new Speech("You said: " + abbreviate(plain, 200))), delay);
    }

    /** What the user is heard saying: the utterance without its stage directions (markers). */
    static String spoken(String utterance) {
        return Markers.strip(SAY.matcher(HANDOFF.matcher(utterance).replaceAll(" ")).replaceAll(" "));
    }

    /** The text of the newest user message: typed text or the transcript of its audio. */
    static String lastUserText(List<? extends JsonNode> items) {
        for (int i = items.size() - 1; i >= 0; i--) {
            JsonNode item = items.get(i);
            if (item.path("type").asText().equals("message") && item.path("role").asText().equals("user")) {
                StringBuilder text = new StringBuilder();
                for (JsonNode part : item.path("content")) {
                    String piece = part.hasNonNull("text") ? part.get("text").asText() : part.path("transcript").asText("");
                    text.append(text.isEmpty() ? "" : " ").append(piece);
                }
                return text.toString();
            }
        }
        return null;
    }

    /** Transcript deltas: one per word, the space kept with the word before it. */
    static List<String> deltas(String text) {
        List<String> pieces = new ArrayList<>();
        Matcher word = Pattern.compile("\\S+\\s*").matcher(text);
        while (word.find()) {
            pieces.add(word.group());
        }
        return pieces.isEmpty() ? List.of(text) : pieces;
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }
}
