package dev.agentdock.run.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What a run's events said that its row holds nowhere else: its model and whether its input was redacted
 * ({@code run_started}; the model is otherwise read from its assistant steps, and a run blocked at its input has none), a
 * guardrail's verdict with its categories and sources, and a failure's upstream HTTP status (its terminal event).
 * Stored with the run's end ({@code ai_agent_runs.end_detail}), so {@link RunReplay} rebuilds those events field for
 * field. A run still going has none yet: replayed live from PostgreSQL, its {@code run_started} does not say whether
 * its input was redacted.
 */
public record RunEndDetail(String model, Boolean inputRedacted, RunEvent.Guardrail guardrail, Boolean tripped,
                           Integer upstreamStatus) {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** The detail of a run that ends with {@code end}, as stored: null when there is nothing beyond the row. */
    public static String of(String model, boolean inputRedacted, RunEnd end) {
        if (model == null && !inputRedacted && end.guardrail() == null && end.upstreamStatus() == null) {
            return null;
        }
        RunEndDetail detail = new RunEndDetail(model, inputRedacted ? Boolean.TRUE : null, end.guardrail(),
                end.tripped() ? Boolean.TRUE : null, end.upstreamStatus());
        try {
            return JSON.writeValueAsString(detail);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The stored detail, or null (none stored, as for runs that ended before it was kept, or unreadable). */
    static RunEndDetail read(String stored) {
        if (stored == null || stored.isBlank()) {
            return null;
        }
        try {
            return JSON.readValue(stored, RunEndDetail.class);
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code end} with what this detail adds: the guardrail's verdict (tripped or judged) and the upstream status. */
    RunEnd applyTo(RunEnd end) {
        RunEnd detailed = end;
        if (guardrail != null) {
            detailed = Boolean.TRUE.equals(tripped) ? detailed.trippedBy(guardrail) : detailed.judgedBy(guardrail);
        }
        return upstreamStatus == null ? detailed : detailed.upstreamStatus(upstreamStatus);
    }
}
