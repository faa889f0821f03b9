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

    private final Map<String, Long> keyExpiries = new ConcurrentHashMap<>();

    void rememberKey(String ephemeralKey, ObjectNode session, long expiresAtSeconds) {
        keySessions.put(ephemeralKey, session.deepCopy());
        keyExpiries.put(ephemeralKey, expiresAtSeconds);
        if (keyExpiries.size() > REMEMBERED_KEYS) {
            keyExpiries.keySet().removeIf(k -> !keySessions.containsKey(k));
        }
    }

    /**
     * Why OpenAI would refuse {@code bearer} for a call, or null: an ephemeral key ({@code ek_}) it never minted, or
     * one past its {@code expires_at}. Other keys stand for the server's key (the simulator takes any).
     */
    String refusal(String bearer) {
        if (bearer == null || !bearer.startsWith("ek_")) {
            return null;
        }
        Long expiresAt = keyExpiries.get(bearer);
        if (expiresAt == null || !keySessions.containsKey(bearer)) {
            return "Incorrect API key provided: the ephemeral key is not one that was issued.";
        }
        if (System.currentTimeMillis() / 1000 >= expiresAt) {
            return "The ephemeral key has expired.";
        }
        return null;
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
