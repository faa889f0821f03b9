package dev.agentdock.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A run resumed after a pause is registered under the paused run's id; the paused run's late exit leaves it. */
class ActiveRunsTest {

    @Test
    void thePausedRunLeavingLateDoesNotDropTheRunResumedUnderItsId() {
        ActiveRuns active = new ActiveRuns(new SimpleMeterRegistry());
        UUID runId = UUID.randomUUID();
        UUID sessionId = UUID.randomUUID();
        ActiveRun paused = new ActiveRun(runId, sessionId, "user");
        active.add(paused);
        // an approval resumes the run before the paused run's thread has let go of it
        ActiveRun resumed = new ActiveRun(runId, sessionId, "user", 14);
        active.add(resumed);

        assertThat(active.remove(paused)).isFalse();
        assertThat(active.find(runId)).containsSame(resumed);
        assertThat(active.ids()).containsExactly(runId);

        assertThat(active.remove(resumed)).isTrue();
        assertThat(active.find(runId)).isEmpty();
        assertThat(active.remove(resumed)).as("a second removal is a no-op").isFalse();
    }

    @Test
    void aRunLeavesWhenItIsTheOneRegistered() {
        ActiveRuns active = new ActiveRuns(new SimpleMeterRegistry());
        ActiveRun run = new ActiveRun(UUID.randomUUID(), UUID.randomUUID(), "user");
        active.add(run);
        assertThat(active.find(run.runId())).containsSame(run);
        assertThat(active.remove(run)).isTrue();
        assertThat(active.find(run.runId())).isEmpty();
    }
}
