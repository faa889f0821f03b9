package dev.agentdock.guard;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/** Settings of moderation and guardrails ({@code agentdock.guard.*}). */
@ConfigMapping(prefix = "agentdock.guard")
public interface GuardConfig {

    /** Longest text {@code /api/moderate} and {@link Moderator} accept, in characters. */
    @WithDefault("32768")
    int maxTextLength();

    Model model();

    Pii pii();

    interface Model {
        /** Off = local rules only (model_available false). */
        @WithDefault("true")
        boolean enabled();

        /** The OpenAI moderation model. */
        @WithDefault("omni-moderation-latest")
        String name();

        /** Time limit of one moderation call; past it local rules decide alone. */
        @WithDefault("5s")
        Duration timeout();
    }

    interface Pii {
        /** What PII hits lead to: redact (pass the redacted text) or block. */
        @WithDefault("redact")
        PiiAction action();

        /** Extra PII kinds: name → Java regex; hits are redacted as {@code [REDACTED:<name>]}. */
        Map<String, String> extraPatterns();
    }

    enum PiiAction { REDACT, BLOCK }
}
