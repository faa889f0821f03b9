package dev.agentdock.simulator;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.arc.properties.IfBuildProperty;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /v1/moderations}: flags texts containing words from small per-category lists, so tests can trip a
 * specific category; {@code [[fail:...]]} markers make the moderation model "down".
 */
@Singleton
@IfBuildProperty(name = "agentdock.simulator.enabled", stringValue = "true")
class ModerationsRoute {

    record Moderation(String id, String model, List<Result> results) {}

    record Result(boolean flagged, Map<String, Boolean> categories,
            @JsonProperty("category_scores") Map<String, Double> categoryScores,
            @JsonProperty("category_applied_input_types") Map<String, List<String>> appliedInputTypes) {}

    // Word stems per category; a word of the input matches when it starts with a stem ("killing" -> "kill"), or
    // equals it for a stem written "=word" (so "meth" does not flag "method").
    private static final Map<String, List<String>> STEMS = stems();

    @Inject
    SimulatorHttp http;

    void init(@Observes Router router) {
        http.post(router, "/v1/moderations", false, this::handle);
    }

    private void handle(RoutingContext ctx, JsonNode body) {
        JsonNode input = body.get("input");
        List<String> texts = new ArrayList<>();
        if (input != null && input.isTextual()) {
            texts.add(input.asText());
        } else if (input != null && input.isArray()) {
            for (JsonNode item : input) {
                // Multi-modal inputs are objects; only their text parts are judged.
                texts.add(item.isTextual() ? item.asText() : item.path("text").asText(""));
            }
        }
        if (input == null || texts.isEmpty()) {
            http.error(ctx, 400, "invalid_request_error", null, "Missing required parameter: 'input'.");
            return;
        }
        Markers markers = Markers.parse(String.join("\n", texts), ctx.request().getHeader(ReplyScript.MODE_HEADER));
        if (http.failedEarly(ctx, markers.failure(), "moderations\u0000" + input)) {
            return;
        }
        List<Result> results = texts.stream().map(ModerationsRoute::judge).toList();
        http.json(ctx, 200, new Moderation(ReplyScript.randomId("modr-"),
                body.path("model").asText("omni-moderation-latest"), results));
    }

    static Result judge(String text) {
        List<String> words = List.of(text.toLowerCase(Locale.ROOT).split("[^a-z]+"));
        Map<String, Boolean> categories = new LinkedHashMap<>();
        Map<String, Double> scores = new LinkedHashMap<>();
        Map<String, List<String>> applied = new LinkedHashMap<>();
        boolean flagged = false;
        for (Map.Entry<String, List<String>> category : STEMS.entrySet()) {
            boolean hit = words.stream().anyMatch(w -> !w.isEmpty()
                    && category.getValue().stream().anyMatch(stem -> matches(w, stem)));
            flagged |= hit;
            categories.put(category.getKey(), hit);
            // Deterministic scores: high for a hit, tiny otherwise, varying a little with the text.
            long h = ReplyScript.hash(category.getKey() + '\u0000' + text);
            scores.put(category.getKey(), hit ? 0.9 + (h & 0xff) / 2560.0 : ((h & 0xff) + 1) / 1_000_000.0);
            applied.put(category.getKey(), List.of("text"));
        }
        return new Result(flagged, categories, scores, applied);
    }

    private static boolean matches(String word, String stem) {
        return stem.charAt(0) == '=' ? word.equals(stem.substring(1)) : word.startsWith(stem);
    }

    private static Map<String, List<String>> stems() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("harassment", List.of("idiot", "moron", "loser", "stupid"));
        m.put("harassment/threatening", List.of("threaten", "stalk"));
        m.put("hate", List.of("hate", "vermin", "subhuman"));
        m.put("hate/threatening", List.of("exterminate", "genocide"));
        m.put("illicit", List.of("bomb", "=meth", "methamphetamine", "cocaine", "heroin", "counterfeit", "launder"));
        m.put("illicit/violent", List.of("bomb", "explosive", "gunpowder"));
        m.put("self-harm", List.of("suicide", "selfharm"));
        m.put("self-harm/intent", List.of("suicide"));
        m.put("self-harm/instructions", List.of("overdose"));
        m.put("sexual", List.of("porn", "nsfw", "xxx"));
        m.put("sexual/minors", List.of("csam"));
        m.put("violence", List.of("kill", "murder", "stab", "shoot", "assault", "bomb"));
        m.put("violence/graphic", List.of("gore", "dismember", "mutilat"));
        return java.util.Collections.unmodifiableMap(m);
    }
}
