package dev.agentdock.voice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UnreachableCallsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final UnreachableCalls calls = new UnreachableCalls(Duration.ofSeconds(2), Duration.ofSeconds(10),
            Duration.ofSeconds(60));

    private static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    @Test
    void aFailingCallIsRetriedAfterADoublingDelayUpToTheCeiling() {
        assertThat(calls.due("c", at(0))).isTrue();
        assertThat(calls.failed("c", at(0))).isEqualTo(UnreachableCalls.Verdict.FIRST);
        assertThat(calls.due("c", at(1))).isFalse();
        assertThat(calls.due("c", at(2))).isTrue();
        assertThat(calls.failed("c", at(2))).isEqualTo(UnreachableCalls.Verdict.AGAIN);
        // 4 s now
        assertThat(calls.due("c", at(5))).isFalse();
        assertThat(calls.due("c", at(6))).isTrue();
        assertThat(calls.failed("c", at(6))).isEqualTo(UnreachableCalls.Verdict.AGAIN);
        // 8 s, then capped at 10 s
        assertThat(calls.due("c", at(13))).isFalse();
        assertThat(calls.failed("c", at(14))).isEqualTo(UnreachableCalls.Verdict.AGAIN);
        assertThat(calls.due("c", at(23))).isFalse();
        assertThat(calls.due("c", at(24))).isTrue();
        // another call is not held back by this one
        assertThat(calls.due("other", at(1))).isTrue();
    }

    @Test
    void aCallStillUnreachableAfterTheBoundIsGivenUpAtItsNextFailure() {
        calls.failed("c", at(0));
        assertThat(calls.failed("c", at(59))).isEqualTo(UnreachableCalls.Verdict.AGAIN);
        assertThat(calls.failed("c", at(60))).isEqualTo(UnreachableCalls.Verdict.GIVE_UP);
        assertThat(calls.size()).isZero();
    }

    @Test
    void aCallReachedOrNoLongerOrphanedStartsOver() {
        calls.failed("reached", at(0));
        calls.failed("taken-elsewhere", at(0));
        calls.failed("still-orphan", at(0));
        calls.cleared("reached");
        calls.retainOnly(Set.of("still-orphan"));
        assertThat(calls.size()).isEqualTo(1);
        assertThat(calls.due("reached", at(1))).isTrue();
        assertThat(calls.failed("reached", at(1))).isEqualTo(UnreachableCalls.Verdict.FIRST);
        assertThat(calls.failed("taken-elsewhere", at(1))).isEqualTo(UnreachableCalls.Verdict.FIRST);
        assertThat(calls.failed("still-orphan", at(2))).isEqualTo(UnreachableCalls.Verdict.AGAIN);
    }
}
