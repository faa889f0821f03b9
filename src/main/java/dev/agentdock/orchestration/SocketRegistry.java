package dev.agentdock.orchestration;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** The sockets open on this instance, by session and by user. */
@ApplicationScoped
public class SocketRegistry {

    private final ConcurrentMap<String, Set<SocketClient>> bySession = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Set<SocketClient>> byUser = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, SocketClient> byConnection = new ConcurrentHashMap<>();
    /** Sockets per user, both routes together, for the per-user cap. */
    private final ConcurrentMap<String, Integer> perUser = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();

    SocketRegistry(io.micrometer.core.instrument.MeterRegistry meters) {
        io.micrometer.core.instrument.Gauge.builder("agentdock.sockets.open", open, AtomicInteger::get)
                .description("orchestration WebSockets open on this instance").register(meters);
    }

    /**
     * The client of a connection, created and indexed on first sight. websockets-next may run a connection's
     * first message handler before (or while) its {@code @OnOpen} runs, so whichever comes first registers it;
     * indexing happens inside the atomic compute, so a concurrent {@link #remove} cannot leave it half-indexed.
     * Returns null, registering nothing, when {@code userId} already holds {@code maxPerUser} sockets here.
     */
    SocketClient obtain(String connectionId, String userId, int maxPerUser, Supplier<SocketClient> create) {
        SocketClient known = byConnection.get(connectionId);
        if (known != null) {
            return known;
        }
        return byConnection.computeIfAbsent(connectionId, id -> {
            if (!reserve(userId, maxPerUser)) {
                return null;
            }
            SocketClient client = create.get();
            if (client.sessionId() != null) {
                bySession.computeIfAbsent(client.sessionId(), k -> ConcurrentHashMap.newKeySet()).add(client);
            } else {
                byUser.computeIfAbsent(client.userId(), k -> ConcurrentHashMap.newKeySet()).add(client);
            }
            open.incrementAndGet();
            return client;
        });
    }

    /** Unregisters a connection's client and returns it (null when it was never registered). */
    SocketClient remove(String connectionId) {
        SocketClient client = byConnection.remove(connectionId);
        if (client == null) {
            return null;
        }
        perUser.computeIfPresent(client.userId(), (k, n) -> n <= 1 ? null : n - 1);
        if (client.sessionId() != null) {
            removeFrom(bySession, client.sessionId(), client);
        } else {
            removeFrom(byUser, client.userId(), client);
        }
        open.decrementAndGet();
        return client;
    }

    /** The sockets {@code userId} holds open on this instance. */
    int countForUser(String userId) {
        return perUser.getOrDefault(userId, 0);
    }

    private boolean reserve(String userId, int maxPerUser) {
        boolean[] reserved = {false};
        perUser.compute(userId, (k, n) -> {
            int count = n == null ? 0 : n;
            if (count >= maxPerUser) {
                return n;
            }
            reserved[0] = true;
            return count + 1;
        });
        return reserved[0];
    }

    Collection<SocketClient> forSession(String sessionId) {
        Set<SocketClient> set = bySession.get(sessionId);
        return set == null ? List.of() : set;
    }

    Collection<SocketClient> forUser(String userId) {
        Set<SocketClient> set = byUser.get(userId);
        return set == null ? List.of() : set;
    }

    Collection<SocketClient> all() {
        return byConnection.values();
    }

    public int openSockets() {
        return open.get();
    }

    private static void removeFrom(ConcurrentMap<String, Set<SocketClient>> map, String key, SocketClient client) {
        map.computeIfPresent(key, (k, set) -> {
            set.remove(client);
            return set.isEmpty() ? null : set;
        });
    }
}
