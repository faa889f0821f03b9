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

    private final ObjectMapper json;
    private final Map<RunEventType, ObjectReader> readers = new EnumMap<>(RunEventType.class);

    RunEventCodec(ObjectMapper json) {
        this.json = json;
        RECORDS.forEach((type, record) -> readers.put(type, json.readerFor(record)));
    }

    /** The record of each event type (every type has one: the sealed interface's permitted records). */
    static Map<RunEventType, Class<? extends RunEvent>> records() {
        return RECORDS;
    }

    public String encode(RunEvent event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("run event is not serializable: " + event.type(), e);
        }
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
