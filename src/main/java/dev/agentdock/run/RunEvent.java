package dev.agentdock.run;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One event of a run: {@code {type, run_id, session_id, event_seq, ts, ...fields}}. The same object goes to the
 * SSE stream, the Redis relay and the session channel, encoded once by {@link RunEventCodec}, so they cannot
 * drift apart and a token's event is not serialized twice.
 */
@JsonPropertyOrder({"type", "run_id", "session_id", "event_seq", "ts"})
public final class RunEvent {

    private final RunEventType type;
    private final UUID runId;
    private final UUID sessionId;
    private final long eventSeq;
    private final Instant ts;
    private final Map<String, Object> fields;
    private volatile String json;

    public RunEvent(RunEventType type, UUID runId, UUID sessionId, long eventSeq, Instant ts, Map<String, Object> fields) {
        this.type = type;
        this.runId = runId;
        this.sessionId = sessionId;
        this.eventSeq = eventSeq;
        this.ts = ts;
        this.fields = fields;
    }

    @JsonProperty("type")
    public RunEventType type() {
        return type;
    }

    @JsonProperty("run_id")
    public UUID runId() {
        return runId;
    }

    @JsonProperty("session_id")
    public UUID sessionId() {
        return sessionId;
    }

    @JsonProperty("event_seq")
    public long eventSeq() {
        return eventSeq;
    }

    @JsonProperty("ts")
    public Instant ts() {
        return ts;
    }

    @JsonAnyGetter
    public Map<String, Object> fields() {
        return fields;
    }

    /** The SSE id of this event, which a client sends back as {@code Last-Event-ID} to resume after it. */
    @JsonIgnore
    public String sseId() {
        return runId + ":" + eventSeq;
    }

    String cachedJson() {
        return json;
    }

    void cacheJson(String encoded) {
        this.json = encoded;
    }

    @Override
    public String toString() {
        return "RunEvent[" + type.wire() + " " + sseId() + "]";
    }
}
