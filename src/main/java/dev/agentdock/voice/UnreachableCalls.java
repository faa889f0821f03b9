package dev.agentdock.voice;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Orphaned calls whose sideband would not open when this instance tried to take them over. Each is retried after a
 * delay that starts at the takeover interval and doubles up to a ceiling, instead of on every scan; once it has stayed
 * unreachable for {@code endAfter} its next failed attempt gives it up (recorded as ended). In memory: an instance
 * that restarts starts counting again, and each instance counts for itself.
 */
final class UnreachableCalls {

    /** What a failed attempt means for the call. */
    enum Verdict {
        /** The call's first failure here: worth one WARN. */
        FIRST,
        /** Failed again, still within the bound: DEBUG only. */
        AGAIN,
        /** Unreachable for longer than the bound: record the call as ended. */
        GIVE_UP
    }

    private record Failing(Instant since, Duration delay, Instant nextAttempt) {
    }

    private final Map<String, Failing> failing = new ConcurrentHashMap<>();
    private final Duration firstDelay;
    private final Duration maxDelay;
    private final Duration endAfter;

    UnreachableCalls(Duration firstDelay, Duration maxDelay, Duration endAfter) {
        this.firstDelay = firstDelay;
        this.maxDelay = maxDelay.compareTo(firstDelay) < 0 ? firstDelay : maxDelay;
        this.endAfter = endAfter;
    }

    /** Whether the call may be tried now: never failed here, or its delay has run out. */
    boolean due(String callId, Instant now) {
        Failing f = failing.get(callId);
        return f == null || !now.isBefore(f.nextAttempt());
    }

    Verdict failed(String callId, Instant now) {
        Failing before = failing.get(callId);
        if (before == null) {
            failing.put(callId, new Failing(now, firstDelay, now.plus(firstDelay)));
            return Verdict.FIRST;
        }
        if (Duration.between(before.since(), now).compareTo(endAfter) >= 0) {
            failing.remove(callId);
            return Verdict.GIVE_UP;
        }
        Duration doubled = before.delay().multipliedBy(2);
        Duration delay = doubled.compareTo(maxDelay) > 0 ? maxDelay : doubled;
        failing.put(callId, new Failing(before.since(), delay, now.plus(delay)));
        return Verdict.AGAIN;
    }

    /** The call was reached (held here or elsewhere, or found gone): its count starts over. */
    void cleared(String callId) {
        failing.remove(callId);
    }

    /** Forgets calls that are no longer orphans (another instance took them, or they ended). */
    void retainOnly(Set<String> orphans) {
        failing.keySet().retainAll(orphans);
    }

    int size() {
        return failing.size();
    }
}
