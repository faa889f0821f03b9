package dev.agentdock.run.stop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Which heartbeats the sweep takes for stale: older than {@code stale-after}, not counting, for {@code stale-after}
 * after it, an outage of PostgreSQL this instance saw (no instance could beat during it).
 */
class StaleCutoffTest {

    private static final Duration STALE_AFTER = Duration.ofSeconds(5);
    private static final Instant NOW = Instant.parse("2026-12-03T11:00:00Z");

    @Test
    void withoutAnOutageAHeartbeatIsStaleAfterStaleAfter() {
        assertThat(RunKeeper.staleCutoff(NOW, STALE_AFTER, null, null)).isEqualTo(NOW.minus(STALE_AFTER));
    }

    @Test
    void rightAfterAnOutageItsLengthIsNotCountedAgainstARun() {
        // down from 10:59:50 to 10:59:58: a run that beat at 10:59:49 had 1 s before and 2 s after, not 11 s
        Instant from = Instant.parse("2026-12-03T10:59:50Z");
        Instant to = Instant.parse("2026-12-03T10:59:58Z");
        Instant cutoff = RunKeeper.staleCutoff(NOW, STALE_AFTER, from, to);
        assertThat(cutoff).isEqualTo(NOW.minus(STALE_AFTER).minus(Duration.ofSeconds(8)));
        assertThat(Instant.parse("2026-12-03T10:59:49Z")).as("not stale").isAfter(cutoff);
        assertThat(Instant.parse("2026-12-03T10:59:46Z")).as("stale: 4 s before and 2 s after").isBefore(cutoff);
    }

    @Test
    void staleAfterPastTheOutageTheUsualCutoffIsBack() {
        Instant from = NOW.minusSeconds(20);
        Instant to = NOW.minus(STALE_AFTER);
        assertThat(RunKeeper.staleCutoff(NOW, STALE_AFTER, from, to)).isEqualTo(NOW.minus(STALE_AFTER));
    }
}
