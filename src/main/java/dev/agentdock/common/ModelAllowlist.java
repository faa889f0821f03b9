package dev.agentdock.common;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The models a caller may choose ({@code agentdock.models.allowed}), for every caller-chosen model field: the
 * Responses proxy, {@code /api/agent/run}, SDK sessions and their overrides. The service pays for each, on one
 * organisation key every tenant shares, so anything else is a 422 naming the ones that are allowed. Models that
 * scenarios and the configured default agent name are the operator's choice and not checked here.
 */
@ApplicationScoped
public class ModelAllowlist {

    private static final int ECHOED_MODEL_CHARS = 100;

    private final Set<String> allowed;

    ModelAllowlist(@ConfigProperty(name = "agentdock.models.allowed",
            defaultValue = "gpt-4.1,gpt-4.1-mini,gpt-4.1-nano,gpt-4o,gpt-4o-mini,gpt-5,gpt-5-mini,gpt-5-nano,o4-mini")
                   Set<String> allowed) {
        this.allowed = Set.copyOf(allowed);
    }

    public Set<String> allowed() {
        return allowed;
    }

    /** Passes for null (no choice made) and for an allowed model; otherwise 422 on {@code field}. */
    public void require(String field, String model) {
        if (model != null && !allowed.contains(model)) {
            String named = model.length() > ECHOED_MODEL_CHARS ? model.substring(0, ECHOED_MODEL_CHARS) + "…" : model;
            throw new DomainException.Invalid(field, "'" + named + "' is not available here; allowed: "
                    + String.join(", ", new TreeSet<>(allowed)));
        }
    }
}
