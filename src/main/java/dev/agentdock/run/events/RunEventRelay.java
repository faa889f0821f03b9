package dev.agentdock.run.events;

import dev.agentdock.common.RunLogContext;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Command;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Carries the events of live runs between instances: each run's events go to a Redis stream keyed by the run,
 * with the event's sequence as its stream id, bounded in length and time. Writes are coalesced: events wait up to
 * {@link #COALESCE_MILLIS} for company and, while one batch is on the wire, the next accumulates, so a token stream
 * costs one round trip per interval, in order. The key's lifetime is set by the first batch (a run lasts far less
 * than {@code relay-ttl}) and cut to {@code relay-ttl-after-end} by the last: a finished run is in the database, and
 * keeping every token of every run for an hour would make Redis memory grow with the turn rate.
 */
@ApplicationScoped
public class RunEventRelay {

    /**
     * How long a relayed event may wait for company before it is sent (terminal events go at once). Readers on
     * other instances poll every {@link RemoteRunFollow}{@code .RELAY_POLL_MILLIS}; a model paced at 20-50 ms a token then
     * costs one Redis round trip per one to three tokens instead of one per token.
     */
    private static final long COALESCE_MILLIS = 50;

    private final Redis redis;
    private final io.vertx.core.Vertx vertx;
    private final RedisDataSource blocking;
    private final RunEventCodec codec;
    private final int maxLength;
    private final Duration ttl;
    private final Duration ttlAfterEnd;
    private final dev.agentdock.common.OutageLog outage = new dev.agentdock.common.OutageLog("Redis (run relay)");

    RunEventRelay(Redis redis, io.vertx.core.Vertx vertx, RedisDataSource blocking, RunEventCodec codec, RelayConfig config) {
        this.redis = redis;
        this.vertx = vertx;
        this.blocking = blocking;
        this.codec = codec;
        this.maxLength = config.relayMaxEvents();
        this.ttl = config.relayTtl();
        this.ttlAfterEnd = config.relayTtlAfterEnd();
    }

    /** A listener that relays a channel's events; attach it before the run emits anything. */
    public Consumer<RunEvent> relayFor(UUID runId) {
        return new Writer(key(runId));
    }

    /** The relayed events of a run after {@code afterSeq}, oldest first, at most {@code max}. */
    public List<RunEvent> readAfter(UUID runId, long afterSeq, int max) {
        List<StreamMessage<String, String, String>> messages = blocking.stream(String.class)
                .xrange(key(runId), StreamRange.of((afterSeq + 1) + "-0", "+"), max);
        List<RunEvent> events = new ArrayList<>(messages.size());
        for (StreamMessage<String, String, String> m : messages) {
            events.add(codec.decode(m.payload().get("e")));
        }
        return events;
    }

    /** The sequence of the last relayed event of a run (0 when none was relayed, or none is left). */
    public long lastSeq(UUID runId) {
        List<StreamMessage<String, String, String>> last = blocking.stream(String.class)
                .xrevrange(key(runId), StreamRange.of("+", "-"), 1);
        return last.isEmpty() ? 0 : Long.parseLong(last.getFirst().id().split("-")[0]);
    }

    public static String key(UUID runId) {
        return "agentdock:run:" + runId + ":events";
    }

    private final class Writer implements Consumer<RunEvent> {
        private final String key;
        private final Queue<RunEvent> pending = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean sending = new AtomicBoolean();
        private boolean expirySet; // only touched by drain(), which one caller at a time runs

        Writer(String key) {
            this.key = key;
        }

        private final AtomicBoolean scheduled = new AtomicBoolean();

        @Override
        public void accept(RunEvent event) {
            pending.add(event);
            if (event.type().isTerminal()) {
                drain();
            } else if (scheduled.compareAndSet(false, true)) {
                // a token stream becomes one pipelined batch per interval instead of one round trip per token
                vertx.setTimer(COALESCE_MILLIS, id -> {
                    scheduled.set(false);
                    drain();
                });
            }
        }

        private void drain() {
            if (pending.isEmpty() || !sending.compareAndSet(false, true)) {
                return;
            }
            List<Request> batch = new ArrayList<>();
            RunEvent event;
            RunEvent first = pending.peek();
            boolean terminal = false;
            boolean paused = false;
            while ((event = pending.poll()) != null) {
                batch.add(Request.cmd(Command.XADD).arg(key).arg("MAXLEN").arg("~").arg(maxLength)
                        .arg(event.eventSeq() + "-1").arg("e").arg(codec.encode(event)));
                terminal |= event.type().isTerminal();
                paused |= event.type() == RunEventType.RUN_PAUSED;
            }
            if (terminal && !paused) {
                batch.add(Request.cmd(Command.EXPIRE).arg(key).arg(ttlAfterEnd.toSeconds()));
            } else if (terminal || !expirySet) {
                // a paused run resumes into the same stream, maybe much later: its events keep the live TTL
                batch.add(Request.cmd(Command.EXPIRE).arg(key).arg(ttl.toSeconds()));
            }
            expirySet = true;
            redis.batch(batch).subscribe().with(ok -> {
                outage.succeeded();
                next();
            }, failure -> {
                try (RunLogContext ignored = RunLogContext.enter(first.sessionId(), first.runId())) {
                    outage.failed("relay of " + key + " failed (re-join from other instances degraded): "
                            + failure.getMessage());
                }
                next();
            });
        }

        private void next() {
            sending.set(false);
            drain();
        }
    }
}
