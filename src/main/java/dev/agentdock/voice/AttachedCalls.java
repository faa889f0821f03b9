package dev.agentdock.voice;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.common.OpenAiEndpoints;
import dev.agentdock.common.OpenAiTarget;
import dev.agentdock.session.AgentSession;
import dev.agentdock.session.SessionRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The calls this instance holds: it takes a call's lease, opens its sideband and hands its events to
 * {@link CallEvents}; renews its leases and lets go of a call whose lease it lost; and, on every instance, picks up
 * attached calls whose holder stopped renewing (takeover within lease-ttl + takeover-interval). A call that OpenAI
 * no longer knows is recorded as ended.
 */
@ApplicationScoped
public class AttachedCalls {

    /** Attached calls looked at per query of the takeover scan (and at most this many taken over per scan). */
    static final int SCAN_PAGE = 200;
    /** How often held calls are checked for a lease that may have run out (a renewal stuck on a silent Redis). */
    static final long LEASE_WATCH_MS = 250;
    /** What a held call's lease is trusted for less than its TTL: the watch's period and as much again. */
    static final long LEASE_MARGIN_MS = 2 * LEASE_WATCH_MS;

    private final Map<String, HeldCall> held = new ConcurrentHashMap<>();
    private final CallLease lease;
    private final VoiceCallStore store;
    private final CallEvents events;
    private final OpenAiEndpoints openAi;
    private final VoiceConfig config;
    private final ObjectMapper json;
    private final WebSocketClient client;
    private final SessionRepository sessions;
    private final UnreachableCalls unreachable;
    private final Vertx vertx;
    private long leaseWatch = -1;

    AttachedCalls(CallLease lease, VoiceCallStore store, CallEvents events, OpenAiEndpoints openAi, VoiceConfig config,
                  ObjectMapper json, Vertx vertx, SessionRepository sessions) {
        this.sessions = sessions;
        this.vertx = vertx;
        this.lease = lease;
        this.store = store;
        this.events = events;
        this.openAi = openAi;
        this.config = config;
        this.json = json;
        this.unreachable = new UnreachableCalls(config.takeoverInterval(), config.unreachableRetryMax(),
                config.unreachableEndAfter());
        this.client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setMaxMessageSize(16 * 1024 * 1024).setMaxFrameSize(16 * 1024 * 1024));
    }

    /** What became of an attempt to hold a call. */
    public enum Outcome { HELD_HERE, HELD_ELSEWHERE, CALL_GONE, UNREACHABLE }

    /** An outcome, with why the sideband did not open when it is {@link Outcome#UNREACHABLE}. */
    record Attempt(Outcome outcome, String reason) {
        static Attempt of(Outcome outcome) {
            return new Attempt(outcome, null);
        }
    }

    /** Holds the call here unless another instance does; blocks until the sideband is open (or failed). */
    public Outcome hold(VoiceCall call) {
        Attempt attempt = attempt(call);
        if (attempt.outcome() == Outcome.UNREACHABLE) {
            Log.warnf("call %s: sideband did not open (%s)", call.callId, attempt.reason());
        }
        return attempt.outcome();
    }

    /** As {@link #hold(VoiceCall)}, logging nothing about an unreachable call: the takeover scan decides how loud. */
    Attempt attempt(VoiceCall call) {
        if (held.containsKey(call.callId)) {
            return Attempt.of(Outcome.HELD_HERE);
        }
        long askedAt = System.nanoTime();
        if (!lease.acquire(call.callId)) {
            return Attempt.of(Outcome.HELD_ELSEWHERE);
        }
        OpenAiTarget target = openAi.resolve();
        HeldCall holding = new HeldCall(call.callId, call.sessionId, call.userId);
        holding.leaseConfirmed(askedAt, leaseTrustedForNanos());
        try {
            // the call speaks as the session's active agent as of now: a switch decided after this (on any
            // instance) is one CallAgents sends to the call
            holding.agent = activeAgent(call.sessionId);
            Sideband sideband = Sideband.connect(client, json, target, call.callId, config.connectTimeout(),
                            event -> holding.enqueue(event, events::handle), () -> closed(holding))
                    .toCompletionStage().toCompletableFuture()
                    .get(config.connectTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
            holding.connected(sideband);
            held.put(call.callId, holding);
            Log.infof("call %s of session %s held here", call.callId, call.sessionId);
            return Attempt.of(Outcome.HELD_HERE);
        } catch (java.util.concurrent.ExecutionException e) {
            lease.release(call.callId);
            if (e.getCause() instanceof Sideband.CallGone) {
                store.end(call.callId, "call_gone");
                Log.infof("call %s of session %s is gone; recorded as ended", call.callId, call.sessionId);
                return Attempt.of(Outcome.CALL_GONE);
            }
            return new Attempt(Outcome.UNREACHABLE, e.getCause().toString());
        } catch (java.util.concurrent.TimeoutException e) {
            lease.release(call.callId);
            return new Attempt(Outcome.UNREACHABLE, "not open within " + config.connectTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lease.release(call.callId);
            return new Attempt(Outcome.UNREACHABLE, "interrupted");
        }
    }

    /** Null when it cannot be read now: CallAgents' next pass then adopts the stored one. */
    private String activeAgent(java.util.UUID sessionId) {
        try {
            AgentSession session = QuarkusTransaction.requiringNew().call(() -> sessions.findById(sessionId));
            return session == null ? null : session.rootAgent != null ? session.rootAgent : session.agentName;
        } catch (RuntimeException e) {
            return null;
        }
    }

    public Optional<HeldCall> heldHere(String callId) {
        return Optional.ofNullable(held.get(callId));
    }

    Collection<HeldCall> all() {
        return held.values();
    }

    /** The socket closed: the call ended, or the connection broke. Looking again tells which (off the event loop). */
    private void closed(HeldCall call) {
        if (held.remove(call.callId, call) && !call.released()) {
            call.release();
            Thread.ofVirtual().name("voice-reattach-" + call.callId).start(() -> {
                try {
                    lease.release(call.callId);
                    store.find(call.callId).filter(c -> VoiceCall.ATTACHED.equals(c.status)).ifPresent(this::hold);
                } catch (RuntimeException e) {
                    Log.warnf("call %s: not re-attached after its socket closed (%s); the takeover scan retries",
                            call.callId, e.getMessage());
                }
            });
        }
    }

    @Scheduled(every = "${agentdock.voice.lease-renew-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void renew() {
        for (HeldCall call : held.values()) {
            boolean kept;
            long askedAt = System.nanoTime();
            try {
                kept = lease.renew(call.callId);
            } catch (RuntimeException e) {
                // Redis unreachable: whether the lease still stands is not knowable; let go
                Log.warnf("call %s: lease not renewed (%s); letting go", call.callId, e.getMessage());
                kept = false;
            }
            if (kept) {
                call.leaseConfirmed(askedAt, leaseTrustedForNanos());
            } else if (held.remove(call.callId, call)) {
                call.release();
                Log.infof("call %s: lease lost, no longer held here", call.callId);
            }
        }
    }

    /**
     * Lets go of every held call whose lease may have run out: a renewal that hangs (Redis silent, not refusing)
     * must not keep this instance acting on a call another instance may already have taken over. Checked on a
     * Vert.x timer every {@value #LEASE_WATCH_MS} ms (the scheduler's tick is a second), apart from the renewals
     * themselves, which may be the ones stuck.
     */
    void watchLeases(@Observes io.quarkus.runtime.StartupEvent start) {
        checkLeaseTiming(config);
        leaseWatch = vertx.setPeriodic(LEASE_WATCH_MS, id -> {
            long now = System.nanoTime();
            for (HeldCall call : held.values()) {
                if (call.leaseLapsed(now) && held.remove(call.callId, call)) {
                    call.release();
                    Log.warnf("call %s: lease not confirmed within its %s; no longer acting on it here", call.callId,
                            config.leaseTtl());
                }
            }
        });
    }

    /** A lease that cannot be renewed while it is still trusted would drop every call: refused at start. */
    static void checkLeaseTiming(VoiceConfig config) {
        if (config.leaseTtl().toMillis() - LEASE_MARGIN_MS <= config.leaseRenewInterval().toMillis()) {
            throw new IllegalArgumentException("agentdock.voice.lease-ttl (" + config.leaseTtl() + ") must exceed "
                    + "agentdock.voice.lease-renew-interval (" + config.leaseRenewInterval() + ") by more than "
                    + LEASE_MARGIN_MS + " ms");
        }
    }

    private long leaseTrustedForNanos() {
        return TimeUnit.MILLISECONDS.toNanos(config.leaseTtl().toMillis() - LEASE_MARGIN_MS);
    }

    @Scheduled(every = "${agentdock.voice.takeover-interval:2s}", delayed = "${agentdock.voice.takeover-interval:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void takeOver() {
        Orphans scan;
        try {
            scan = orphans(Instant.now());
        } catch (RuntimeException e) {
            Log.warnf("voice call takeover scan failed: %s", e.getMessage());
            return;
        }
        if (scan.allIfComplete() != null) {
            // the scan saw every orphan: a call not among them was taken or ended, and its count is dropped
            unreachable.retainOnly(scan.allIfComplete());
        }
        List<VoiceCall> orphans = scan.due();
        if (orphans.isEmpty()) {
            return;
        }
        Log.debugf("voice call takeover scan: %d attached call(s) without a holder: %s", orphans.size(),
                orphans.stream().map(c -> c.callId).toList());
        // each on its own thread: a call whose sideband does not open (connect timeout) delays no other
        List<Thread> attempts = new ArrayList<>();
        for (VoiceCall call : orphans) {
            attempts.add(Thread.ofVirtual().name("voice-takeover-" + call.callId).start(() -> {
                try {
                    Attempt attempt = attempt(call);
                    if (attempt.outcome() == Outcome.UNREACHABLE) {
                        unreachableAgain(call, attempt.reason());
                        return;
                    }
                    unreachable.cleared(call.callId);
                    if (attempt.outcome() == Outcome.HELD_HERE) {
                        Log.infof("call %s of session %s taken over", call.callId, call.sessionId);
                    } else {
                        Log.debugf("call %s of session %s not taken over here: %s", call.callId, call.sessionId,
                                attempt.outcome().name().toLowerCase(java.util.Locale.ROOT));
                    }
                } catch (RuntimeException e) {
                    Log.warnf("call %s: takeover failed (%s)", call.callId, e.getMessage());
                }
            }));
        }
        long deadline = System.nanoTime() + config.connectTimeout().multipliedBy(2).toNanos();
        for (Thread attempt : attempts) {
            try {
                attempt.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * An orphan whose sideband did not open: one WARN the first time, DEBUG while it is retried with backoff, and
     * recorded as ended ({@code unreachable}) once it has failed for longer than {@code unreachable-end-after}.
     */
    private void unreachableAgain(VoiceCall call, String reason) {
        switch (unreachable.failed(call.callId, Instant.now())) {
            case FIRST -> Log.warnf("call %s of session %s: sideband did not open (%s); retried with backoff (up to "
                            + "every %s), recorded as ended if still unreachable after %s", call.callId, call.sessionId,
                    reason, config.unreachableRetryMax(), config.unreachableEndAfter());
            case AGAIN -> Log.debugf("call %s of session %s: sideband still does not open (%s)", call.callId,
                    call.sessionId, reason);
            case GIVE_UP -> {
                store.end(call.callId, "unreachable");
                Log.infof("call %s of session %s: unreachable for %s; recorded as ended", call.callId,
                        call.sessionId, config.unreachableEndAfter());
            }
        }
    }

    /**
     * Attached calls nobody holds: not held here, and no lease in Redis (its holder released it or stopped renewing).
     * Every attached call is looked at, newest first, in pages, so old calls that stay unreachable never hide a new
     * one; those waiting out their backoff ({@link UnreachableCalls}) are left for a later scan.
     */
    Orphans orphans(Instant now) {
        List<VoiceCall> due = new ArrayList<>();
        java.util.Set<String> all = new java.util.HashSet<>();
        int page = 0;
        while (true) {
            List<VoiceCall> calls = store.attached(page, SCAN_PAGE);
            List<VoiceCall> candidates = calls.stream().filter(c -> !held.containsKey(c.callId)).toList();
            List<String> holders = lease.holders(candidates.stream().map(c -> c.callId).toList());
            for (int i = 0; i < candidates.size(); i++) {
                VoiceCall call = candidates.get(i);
                if (holders.get(i) == null) {
                    all.add(call.callId);
                    // a call waiting out its backoff takes no place in the page: it hides no other
                    if (unreachable.due(call.callId, now)) {
                        due.add(call);
                    }
                }
            }
            boolean complete = calls.size() < SCAN_PAGE;
            if (complete || due.size() >= SCAN_PAGE) {
                return new Orphans(due, complete ? all : null);
            }
            page++;
        }
    }

    /** The orphans to try now, and (when the scan reached the last page) the ids of every orphan, backed off or not. */
    record Orphans(List<VoiceCall> due, java.util.Set<String> allIfComplete) {
    }

    /** A clean stop hands the calls over at once instead of after the TTL. */
    void stop(@Observes ShutdownEvent stop) {
        if (leaseWatch >= 0) {
            vertx.cancelTimer(leaseWatch);
        }
        for (HeldCall call : held.values()) {
            call.release();
            try {
                lease.release(call.callId);
            } catch (RuntimeException e) {
                Log.debugf("call %s: lease not released at shutdown (%s)", call.callId, e.getMessage());
            }
        }
        held.clear();
    }
}
