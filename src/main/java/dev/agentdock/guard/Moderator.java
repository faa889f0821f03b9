package dev.agentdock.guard;

import dev.agentdock.common.DomainException;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides what happens to a text: the moderation model's verdict and local PII rules, combined by policy —
 * flagged by the model: block; PII found: redact (or block, by {@code agentdock.guard.pii.action}); else allow.
 * The model sees the already redacted text, so PII never leaves the server for moderation.
 */
@ApplicationScoped
public class Moderator {

    static final String MODEL = "model";
    static final String PII = "pii";

    private final ModerationModels model;
    private final GuardConfig config;
    private final PiiRules pii;

    Moderator(ModerationModels model, GuardConfig config) {
        this.model = model;
        this.config = config;
        this.pii = new PiiRules(config.pii().extraPatterns());
    }

    /**
     * The decision on {@code text} at {@code stage}. Blocking (it may call the model; run it off the event loop).
     *
     * @throws DomainException.Invalid when the text is blank or longer than {@code agentdock.guard.max-text-length}
     */
    public ModerationDecision moderate(String text, Stage stage) {
        return moderate(text, stage, new Policy(true, config.pii().action() == GuardConfig.PiiAction.BLOCK
                ? PiiHandling.BLOCK : PiiHandling.REDACT));
    }

    /** How a caller (a scenario's guardrails) wants a text judged: with or without the model, and what PII does. */
    public record Policy(boolean useModel, PiiHandling pii) {
    }

    public enum PiiHandling { ALLOW, REDACT, BLOCK }

    /** The decision under a caller's own policy. */
    public ModerationDecision moderate(String text, Stage stage, Policy policy) {
        if (text == null || text.isBlank()) {
            throw new DomainException.Invalid("text", "must not be blank");
        }
        if (text.length() > config.maxTextLength()) {
            throw new DomainException.Invalid("text", "must be at most " + config.maxTextLength() + " characters");
        }
        PiiRules.Scan scan = pii.scan(text);
        Optional<Boolean> modelFlag = policy.useModel() ? model.flagged(scan.redacted()) : Optional.empty();
        ModerationDecision decision = decide(scan, modelFlag, pii.kinds(), policy.pii());
        Log.debugf("moderated %s text: %s (pii hits %d, model %s)", stage.wire(), decision.action().wire(),
                scan.hits().size(), modelFlag.map(String::valueOf).orElse("unavailable"));
        return decision;
    }

    /** The policy on its own: what the sources found → the decision. */
    static ModerationDecision decide(PiiRules.Scan scan, Optional<Boolean> modelFlag, List<String> kinds,
                                     PiiHandling piiAction) {
        Map<String, Boolean> categories = new LinkedHashMap<>();
        Map<String, Double> scores = new LinkedHashMap<>();
        List<String> sources = new ArrayList<>();
        modelFlag.ifPresent(flagged -> {
            categories.put("moderation", flagged);
            sources.add(MODEL);
        });
        for (String kind : kinds) {
            boolean found = scan.found(kind);
            categories.put(PiiRules.category(kind), found);
            scores.put(PiiRules.category(kind), found ? 1.0 : 0.0);
        }
        sources.add(PII);
        boolean modelFlagged = modelFlag.orElse(false);
        boolean piiFound = !scan.hits().isEmpty();
        ModerationAction action = modelFlagged ? ModerationAction.BLOCK
                : !piiFound || piiAction == PiiHandling.ALLOW ? ModerationAction.ALLOW
                : piiAction == PiiHandling.BLOCK ? ModerationAction.BLOCK : ModerationAction.REDACT;
        return new ModerationDecision(action, modelFlagged || piiFound, categories, scores, scan.redacted(),
                List.copyOf(sources), modelFlag.isPresent());
    }
}
