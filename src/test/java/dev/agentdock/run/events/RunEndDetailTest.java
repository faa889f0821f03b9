package dev.agentdock.run.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentdock.session.RunStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a run's end stores beyond its row, read back onto the end a replay builds. */
class RunEndDetailTest {

    private static final RunEvent.Guardrail BLOCKED = new RunEvent.Guardrail("input", "block",
            Map.of("violence", true, "self_harm", false), List.of("moderation_model"), true);

    @Test
    void aVerdictAndAnUpstreamStatusSurviveTheRoundTrip() {
        RunEnd live = RunEnd.of(RunStatus.CANCELLED, 3, null, null, RunEnd.INPUT_BLOCKED).trippedBy(BLOCKED);
        String stored = RunEndDetail.of("gpt-4o-mini", true, live);
        RunEndDetail read = RunEndDetail.read(stored);
        assertThat(read.inputRedacted()).isTrue();
        assertThat(read.model()).isEqualTo("gpt-4o-mini");
        RunEnd replayed = read.applyTo(RunEnd.of(RunStatus.CANCELLED, 3, null, null, RunEnd.INPUT_BLOCKED));
        assertThat(replayed.tripped()).isTrue();
        assertThat(replayed.guardrail()).isEqualTo(BLOCKED);

        RunEnd failed = RunEnd.of(RunStatus.ERROR, 2, null, null, "upstream answered HTTP 429").upstreamStatus(429);
        RunEnd back = RunEndDetail.read(RunEndDetail.of(null, false, failed))
                .applyTo(RunEnd.of(RunStatus.ERROR, 2, null, null, "upstream answered HTTP 429"));
        assertThat(back.upstreamStatus()).isEqualTo(429);
        assertThat(back.tripped()).isFalse();
    }

    @Test
    void aPlainEndStoresNothingAndNothingStoredChangesNothing() {
        RunEnd plain = RunEnd.of(RunStatus.COMPLETED, 4, null, "hi", null);
        assertThat(RunEndDetail.of(null, false, plain)).isNull();
        assertThat(RunEndDetail.read(null)).isNull();
        assertThat(RunEndDetail.read("{not json")).isNull();
        RunEnd judged = plain.judgedBy(new RunEvent.Guardrail("output", "redact", null, List.of("pii"), null));
        RunEnd replayed = RunEndDetail.read(RunEndDetail.of(null, false, judged)).applyTo(plain);
        assertThat(replayed.tripped()).as("a redaction is a verdict, not a trip").isFalse();
        assertThat(replayed.guardrail().action()).isEqualTo("redact");
    }
}
