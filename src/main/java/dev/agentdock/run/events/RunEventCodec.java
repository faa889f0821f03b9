package dev.agentdock.run.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.InjectableValues;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The one place run events become JSON and back: for SSE frames, the JSON form, the Redis relay and the session
 * socket. An event decodes to the record it was encoded from (equal to it), whatever carried it.
 */
@ApplicationScoped
public class RunEventCodec {

    /** The envelope every event has; the rest are the record's own fields. */
    static final List<String> STAMP_FIELDS = List.of("type", "run_id", "session_id", "event_seq", "ts");

    private static final Map<RunEventType, Class<? extends RunEvent>> RECORDS = new EnumMap<>(Map.ofEntries(
            Map.entry(RunEventType.RUN_STARTED, RunEvent.RunStarted.class),
            Map.entry(RunEventType.STEP_STARTED, RunEvent.StepStarted.class),
            Map.entry(RunEventType.STEP_DELTA, RunEvent.StepDelta.class),
            Map.entry(RunEventType.TOOL_CALL_STARTED, RunEvent.ToolCallStarted.class),
            Map.entry(RunEventType.TOOL_CALL_COMPLETED, RunEvent.ToolCallCompleted.class),
            Map.entry(RunEventType.STEP_COMPLETED, RunEvent.StepCompleted.class),
            Map.entry(RunEventType.RUN_COMPLETED, RunEvent.RunCompleted.class),
            Map.entry(RunEventType.RUN_CANCELLED, RunEvent.RunCancelled.class),
            Map.entry(RunEventType.RUN_FAILED, RunEvent.RunFailed.class),
            Map.entry(RunEventType.RUN_PAUSED, RunEvent.RunPaused.class),
            Map.entry(RunEventType.RUN_QUEUED, RunEvent.RunQueued.class),
            Map.entry(RunEventType.GUARDRAIL_TRIPPED, RunEvent.GuardrailTripped.class)));

    /** Slots of {@link #recent} (a power of two): far more than the events in flight between their two writers. */
    static final int RECENT = 1024;

    private final ObjectMapper json;
    private final Map<RunEventType, ObjectReader> readers = new EnumMap<>(RunEventType.class);
    /**
     * Events encoded lately, by identity: each goes out on its SSE stream and into the Redis relay (on other threads,
     * a moment apart) and is encoded once for both, a record never changing. A slot another event took since only
     * costs an encoding again.
     */
    private final AtomicReferenceArray<Encoded> recent = new AtomicReferenceArray<>(RECENT);

    private record Encoded(RunEvent event, String json) {
    }

    RunEventCodec(ObjectMapper json) {
        this.json = json;
        RECORDS.forEach((type, record) -> readers.put(type, json.readerFor(record)));
    }

    /** The record of each event type (every type has one: the sealed interface's permitted records). */
    static Map<RunEventType, Class<? extends RunEvent>> records() {
        return RECORDS;
    }

    public String encode(RunEvent event) {
        int slot = System.identityHashCode(event) & (RECENT - 1);
        Encoded last = recent.get(slot);
        if (last != null && last.event() == event) {
            return last.json();
        }
        String text;
        try {
            text = json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("run event is not serializable: " + event.type(), e);
        }
        recent.set(slot, new Encoded(event, text));
        return text;
    }

    public RunEvent decode(String text) {
        JsonNode node;
        try {
            node = json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a run event: " + e.getOriginalMessage(), e);
        }
        if (!(node instanceof ObjectNode fields)) {
            throw new IllegalArgumentException("not a run event: not a JSON object");
        }
        RunEventType type = RunEventType.fromWire(fields.path("type").asText());
        RunEvent.Stamp stamp;
        try {
            stamp = new RunEvent.Stamp(UUID.fromString(fields.path("run_id").asText()),
                    UUID.fromString(fields.path("session_id").asText()), fields.path("event_seq").asLong(),
                    Instant.parse(fields.path("ts").asText()));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a run event: bad envelope (" + e.getMessage() + ")", e);
        }
        STAMP_FIELDS.forEach(fields::remove);
        try {
            return readers.get(type).with(new InjectableValues.Std().addValue(RunEvent.STAMP, stamp)).readValue(fields);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not a " + type.wire() + " event: " + e.getMessage(), e);
        }
    }

    /** An event's own fields (no envelope), as the session socket carries them. */
    public Map<String, Object> fields(RunEvent event) {
        Map<String, Object> all = json.convertValue(event, new TypeReference<LinkedHashMap<String, Object>>() { });
        STAMP_FIELDS.forEach(all::remove);
        return all;
    }
}
