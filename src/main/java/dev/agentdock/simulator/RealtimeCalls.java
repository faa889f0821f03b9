package dev.agentdock.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.arc.properties.IfBuildProperty;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The simulator's open Realtime calls, and the session configs its ephemeral keys were minted with (so a call opened
 * with a key starts from that config, as OpenAI's does). Both bounded: a long test run cannot grow them for ever.
 */
@Singleton
@IfBuildProperty(name = "agentdock.simulator.enabled", stringValue = "true")
class RealtimeCalls {

    private static final int REMEMBERED_KEYS = 10_000;

    private final Map<String, RealtimeCall> calls = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> keySessions = Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, ObjectNode> eldest) {
                    return size() > REMEMBERED_KEYS;
                }
            });
    private final Vertx vertx;
    private final ObjectMapper mapper;

    RealtimeCalls(Vertx vertx, ObjectMapper mapper) {
        this.vertx = vertx;
        this.mapper = mapper;
    }

    void rememberKey(String ephemeralKey, ObjectNode session) {
        keySessions.put(ephemeralKey, session.deepCopy());
    }

    /** A new call whose session is the key's minted config (if the key is one of ours), merged with {@code requested}. */
    RealtimeCall open(String bearer, ObjectNode requested) {
        ObjectNode session = RealtimeSessions.defaults(mapper);
        ObjectNode minted = bearer == null ? null : keySessions.get(bearer);
        if (minted != null) {
            RealtimeSessions.merge(session, minted);
        }
        if (requested != null) {
            RealtimeSessions.merge(session, requested);
        }
        RealtimeCall call = new RealtimeCall(ReplyScript.randomId("rtc_sim_"), session, vertx, mapper, this::forget);
        calls.put(call.id(), call);
        return call;
    }

    Optional<RealtimeCall> find(String callId) {
        return Optional.ofNullable(callId == null ? null : calls.get(callId));
    }

    private void forget(RealtimeCall call) {
        calls.remove(call.id());
    }
}
