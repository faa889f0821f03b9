package dev.agentdock.guard;

import java.util.List;
import java.util.Map;

/**
 * The verdict on one text.
 *
 * @param action         allow, redact (use {@code redactedText}) or block
 * @param flagged        whether any source found something (the model flagged it, or a PII rule hit)
 * @param categories     what each check found: {@code moderation} (the model's verdict, when it answered) and
 *                       {@code pii/<kind>} per PII rule
 * @param scores         confidence per category, 0..1; PII rules are certain (1 or 0). The LangChain4j moderation
 *                       model reports no per-category scores, so the model has none here
 * @param redactedText   the text with every PII hit replaced by {@code [REDACTED:<kind>]}; equal to the input when
 *                       nothing hit
 * @param sources        the sources that decided: {@code model} (when it answered) and {@code pii}
 * @param modelAvailable false when the moderation model was disabled, failed or timed out
 */
public record ModerationDecision(ModerationAction action, boolean flagged, Map<String, Boolean> categories,
                                 Map<String, Double> scores, String redactedText, List<String> sources,
                                 boolean modelAvailable) {
}
