package dev.agentdock.orchestration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import dev.agentdock.common.RedisPrimaryCheck;
import dev.agentdock.common.RedisSubscription;
import dev.agentdock.common.RedisSubscriptions;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fans session events out to every socket of the session (and of its user) on every instance. Publishing is one
 * Lua script, atomic in Redis: append the frame to the session's and the user's bounded replay streams, then
 * PUBLISH it with both stream ids. Each instance holds one subscription and delivers to its local sockets. When
 * Redis is unreachable, events still reach this instance's sockets, which are told the channel is degraded.
 */
@ApplicationScoped
public class SessionEventBus {

    static final String CHANNEL = "agentdock:orchestration";
    private static final String PUBLISH_SCRIPT = """
            local s = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'f', ARGV[3])
            local u = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], '*', 'f', ARGV[3])
            redis.call('EXPIRE', KEYS[1], ARGV[2])
            redis.call('EXPIRE', KEYS[2], ARGV[2])
            redis.call('PUBLISH', ARGV[4], s .. ' ' .. u .. ' ' .. ARGV[3])
            return s
            """;

    private final Redis redis;
    /** The probe: Redis answers, and from a primary (a demoted one has its connections cut). */
    private final RedisPrimaryCheck primary;
    private final RedisDataSource blocking;
    private final ReactiveRedisDataSource reactive;
    private final SocketRegistry sockets;
    private final OrchestrationConfig config;
    private final ObjectMapper json;
    private final AtomicBoolean degraded = new AtomicBoolean(false);
    private final AtomicLong localIds = new AtomicLong();
    private final java.util.Queue<Outgoing> outbox = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final Timer fanoutLag;
    private final RedisSubscriptions subscriptions;
    private final AtomicBoolean reachable = new AtomicBoolean(true);
    private volatile long lostAtMillis;
    private RedisSubscription subscription;
    private final io.vertx.core.Vertx vertx;
    private final jakarta.enterprise.event.Event<AgentChosen> heard;
    private final AtomicBoolean probing = new AtomicBoolean();
    private long probeTimer = -1;
    /** Catch-up of a socket that had received nothing numbered starts this long before the channel was lost. */
    private static final long CATCH_UP_MARGIN_MS = 2_000;

    SessionEventBus(Redis redis, RedisDataSource blocking, ReactiveRedisDataSource reactive, SocketRegistry sockets,
                    OrchestrationConfig config, ObjectMapper json, MeterRegistry meters, RedisSubscriptions subscriptions,
                    io.vertx.core.Vertx vertx, jakarta.enterprise.event.Event<AgentChosen> heard,
                    RedisPrimaryCheck primary) {
        this.vertx = vertx;
        this.primary = primary;
        this.heard = heard;
        this.subscriptions = subscriptions;
        this.fanoutLag = Timer.builder("agentdock.fanout.lag")
                .description("from an event's timestamp (its publisher's clock) to its delivery to this instance's sockets")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
                .register(meters);
        this.redis = redis;
        this.blocking = blocking;
        this.reactive = reactive;
        this.sockets = sockets;
        this.config = config;
        this.json = json;
    }

    void subscribe(@Observes StartupEvent start) {
        // degraded from the moment the subscription is lost, not from the next probe: a restart shorter than the
        // probe interval would otherwise go unnoticed, and what peers published meanwhile would not be caught up
        subscription = subscriptions.open(CHANNEL, this::onMessage, this::resubscribed,
                () -> markDegraded(true, "the subscription to " + CHANNEL + " was lost"));
    }

    /**
     * The subscription is (again) in place: each local socket gets, from the replay streams, what was published
     * while it was not (its own merge drops what it already has), and the channel is no longer degraded.
     */
    private void resubscribed() {
        long lostAt = lostAtMillis;
        Thread.ofVirtual().name("fanout-catch-up").start(() -> {
            if (lostAt > 0) {
                for (SocketClient client : sockets.all()) {
                    String after = client.lastSent() != null ? client.lastSent()
                            : Math.max(0, lostAt - CATCH_UP_MARGIN_MS) + "-0";
                    client.beginReplay();
                    try {
                        client.finishReplay(replay(client, after));
                    } catch (RuntimeException e) {
                        Log.debugf("socket %s: catch-up after resubscribing failed: %s", client.connectionId(), e.getMessage());
                        client.abandonReplay();
                    }
                }
            }
            refreshState(null);
        });
    }

    /**
     * Publishes in the order events are given: a single queue drained in pipelined batches (one connection, in
     * order), so Redis assigns ids — and subscribers see frames — in the order they happened.
     */
    public void publish(SessionEvent event) {
        outbox.add(new Outgoing(event.sessionId().toString(), event.userId() == null ? "" : event.userId(), encode(event)));
        drain();
    }

    /** An encoded frame with the keys of the streams it goes to, so draining never re-reads the JSON. */
    private record Outgoing(String sessionId, String userId, String frame) {
    }

    private void drain() {
        if (outbox.isEmpty() || !sending.compareAndSet(false, true)) {
            return;
        }
        List<String> frames = new ArrayList<>();
        List<Request> batch = new ArrayList<>();
        Outgoing next;
        while (batch.size() < 512 && (next = outbox.poll()) != null) {
            frames.add(next.frame());
            batch.add(Request.cmd(Command.EVAL).arg(PUBLISH_SCRIPT).arg(2)
                    .arg(sessionKey(next.sessionId())).arg(userKey(next.userId()))
                    .arg(config.replayMaxEvents()).arg(config.replayTtl().toSeconds()).arg(next.frame()).arg(CHANNEL));
        }
        redis.batch(batch).subscribe().with(ok -> {
            reachable(true, null);
            sending.set(false);
            drain();
        }, failure -> {
            reachable(false, failure.getMessage());
            // Redis is out of reach: this instance's sockets still hear it.
            for (String f : frames) {
                String id = "local-" + localIds.incrementAndGet();
                dispatch(id, id, f);
            }
            sending.set(false);
            drain();
        });
    }

    /** Frames of the session (or of the user, for {@code /ws/me}) after {@code afterId}, oldest first. */
    List<SocketClient.Pending> replay(SocketClient client, String afterId) {
        String key = client.sessionId() != null ? sessionKey(client.sessionId()) : userKey(client.userId());
        List<StreamMessage<String, String, String>> messages = blocking.stream(String.class)
                .xrange(key, StreamRange.of("(" + afterId, "+"), config.replayMaxEvents());
        List<SocketClient.Pending> frames = new ArrayList<>(messages.size());
        for (StreamMessage<String, String, String> m : messages) {
            frames.add(new SocketClient.Pending(m.id(), toClient(m.id(), m.payload().get("f"))));
        }
        return frames;
    }

    public boolean degraded() {
        return degraded.get();
    }

    /**
     * Probes Redis every {@code probe-interval} on a Vert.x timer (the scheduler's one-second tick would round a
     * sub-second interval up), so a degraded channel notices when it is back and a healthy one when it is gone. A
     * probe still unanswered when the next is due is not doubled.
     */
    void startProbe(@Observes @Priority(10) StartupEvent start) {
        long every = probeIntervalMillis(config.probeInterval());
        probeTimer = vertx.setPeriodic(every, every, id -> probe());
    }

    void stopProbe(@Observes ShutdownEvent stop) {
        if (probeTimer >= 0) {
            vertx.cancelTimer(probeTimer);
        }
    }

    /** The probe interval in milliseconds; an interval below 1 ms (a timer's resolution) is refused at start. */
    static long probeIntervalMillis(Duration interval) {
        if (interval == null || interval.toMillis() < 1) {
            throw new IllegalArgumentException("agentdock.orchestration.probe-interval must be at least 1ms, was "
                    + interval);
        }
        return interval.toMillis();
    }

    void probe() {
        if (!probing.compareAndSet(false, true)) {
            return;
        }
        primary.check().subscribe().with(ok -> {
            probing.set(false);
            reachable(true, null);
        }, failure -> {
            probing.set(false);
            reachable(false, failure.getMessage());
        });
    }

    private void reachable(boolean now, String reason) {
        reachable.set(now);
        refreshState(reason);
    }

    /** Degraded while Redis is out of reach or the subscription is not (yet) back: both are needed to deliver. */
    private void refreshState(String reason) {
        boolean down = !reachable.get() || subscription == null || !subscription.up();
        markDegraded(down, reason != null ? reason : "the subscription to " + CHANNEL + " is not in place");
    }

    private void onMessage(String message) {
        int first = message.indexOf(' ');
        int second = message.indexOf(' ', first + 1);
        if (first < 0 || second < 0) {
            Log.debugf("ignoring malformed orchestration message");
            return;
        }
        dispatch(message.substring(0, first), message.substring(first + 1, second), message.substring(second + 1));
    }

    private void dispatch(String sessionStreamId, String userStreamId, String frame) {
        try {
            JsonNode node = json.readTree(frame);
            String sessionId = node.path("session_id").asText();
            String userId = node.path("user_id").asText();
            announceChoice(node);
            var forSession = sockets.forSession(sessionId);
            var forUser = sockets.forUser(userId);
            if (forSession.isEmpty() && forUser.isEmpty()) {
                return;
            }
            // Clocks of two instances: skew shows up here too (a negative lag is not recorded).
            fanoutLag.record(Duration.between(Instant.parse(node.path("ts").asText()), Instant.now()));
            if (!forSession.isEmpty()) {
                String text = toClient(sessionStreamId, node);
                forSession.forEach(c -> c.deliver(sessionStreamId, text));
            }
            if (!forUser.isEmpty()) {
                String text = toClient(userStreamId, node);
                forUser.forEach(c -> c.deliver(userStreamId, text));
            }
        } catch (JsonProcessingException e) {
            Log.debugf("ignoring undecodable orchestration frame: %s", e.getOriginalMessage());
        }
    }

    /**
     * An orchestrated {@code agent_switch} heard on the channel — from any instance, this one included — is handed
     * to whoever acts on it here (the holder of the session's voice call), off the event loop: so a choice made on
     * another instance reaches the call without waiting for a poll. Handoffs need nothing: the call made them.
     */
    private void announceChoice(JsonNode frame) {
        if (!"agent_switch".equals(frame.path("type").asText())
                || "handoff".equals(frame.at("/data/decided_by").asText())) {
            return;
        }
        String to = frame.at("/data/to").asText(null);
        java.util.UUID sessionId;
        try {
            sessionId = java.util.UUID.fromString(frame.path("session_id").asText());
        } catch (IllegalArgumentException e) {
            return;
        }
        if (to != null) {
            heard.fireAsync(new AgentChosen(sessionId, to));
        }
    }

    private void markDegraded(boolean now, String reason) {
        if (degraded.compareAndSet(!now, now)) {
            if (now) {
                lostAtMillis = System.currentTimeMillis();
                Log.warnf("orchestration channel degraded (Redis unreachable): %s", reason);
            } else {
                Log.info("orchestration channel restored");
            }
            String text = encodeMessage(ServerMessage.Status.of(now, now
                    ? "cross-instance delivery and replay are unavailable; events of this instance still arrive"
                    : "cross-instance delivery restored"));
            sockets.all().forEach(c -> c.sendUnnumbered(text));
        }
    }

    /** The stored frame carries the user; the client frame is {@code {id, type, session_id, ts, data}}. */
    private String toClient(String id, String frame) {
        try {
            return toClient(id, json.readTree(frame));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored frame is not JSON", e);
        }
    }

    /** As {@link #toClient(String, String)}, for a frame the caller has parsed already. */
    private String toClient(String id, JsonNode node) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> data = json.treeToValue(node.path("data"), Map.class);
            return encodeMessage(new ServerMessage.Event(id, node.path("type").asText(), node.path("session_id").asText(),
                    Instant.parse(node.path("ts").asText()), data));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored frame is not JSON", e);
        }
    }

    private String encode(SessionEvent event) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", event.type());
        frame.put("session_id", event.sessionId().toString());
        frame.put("user_id", event.userId());
        frame.put("ts", event.ts().toString());
        frame.put("data", event.data());
        try {
            return json.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("session event is not serializable: " + event.type(), e);
        }
    }

    String encodeMessage(ServerMessage message) {
        try {
            return json.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sessionKey(String sessionId) {
        return "agentdock:session:" + sessionId + ":events";
    }

    static String userKey(String userId) {
        return "agentdock:user:" + userId + ":events";
    }
}
