package dev.agentdock.run.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.run.events.RunEvent.Stamp;
import dev.agentdock.session.RunStatus;
import dev.agentdock.session.StepView;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The one codec: every event kind survives the trip to JSON and back as an equal record, envelope first. */
@QuarkusTest
class RunEventCodecTest {

    @Inject
    RunEventCodec codec;

    @Inject
    ObjectMapper json;

    private static final UUID RUN = UUID.randomUUID();
    private static final UUID SESSION = UUID.randomUUID();
    private static final Instant TS = Instant.parse("2026-12-03T10:00:00.123456Z");

    private static Stamp stamp(long seq) {
        return new Stamp(RUN, SESSION, seq, TS);
    }

    @Test
    void anEventIsEncodedOnceForAllItsWritersAndAnEqualOneGetsTheSameText() {
        RunEvent event = new RunEvent.StepDelta(stamp(7), 2, RunEvent.Delta.text("once"));
        RunEvent equal = new RunEvent.StepDelta(stamp(7), 2, RunEvent.Delta.text("once"));

        String first = codec.encode(event);

        assertThat(codec.encode(event)).as("the SSE stream and the relay share one encoding").isSameAs(first);
        assertThat(codec.encode(equal)).isEqualTo(first);
        assertThat(codec.decode(first)).isEqualTo(event);
    }

    @Test
    void eventsThatShareASlotEachKeepTheirOwnText() {
        // more events than slots: every slot is taken over at least once, and each still encodes as itself
        List<RunEvent> many = java.util.stream.IntStream.range(0, RunEventCodec.RECENT * 3)
                .mapToObj(i -> (RunEvent) new RunEvent.StepDelta(stamp(i), 2, RunEvent.Delta.text("t" + i))).toList();
        many.forEach(codec::encode);

        for (RunEvent event : many) {
            assertThat(codec.decode(codec.encode(event))).isEqualTo(event);
        }
    }

    /** One event of every kind, with its optional fields set where it has them. */
    static List<RunEvent> oneOfEach() {
        OffsetDateTime at = OffsetDateTime.of(2026, 12, 3, 10, 0, 0, 123_456_000, ZoneOffset.UTC);
        StepView view = new StepView(UUID.randomUUID(), SESSION, RUN, 3, "assistant", "hi",
                "[{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"echo\",\"arguments\":\"{}\"}}]", null,
                null, null, "{\"text\":\"x\"}", new StepView.Metrics(12.5, 3.0, 10, 2, 12, "gpt-4.1", "openai", null),
                false, null, at, at);
        Map<String, Object> toolPart = new LinkedHashMap<>();
        toolPart.put("index", 0);
        toolPart.put("id", "c1");
        toolPart.put("arguments", "{\"te");
        RunEvent.Usage usage = RunEvent.Usage.of(10, 2);
        RunEvent.Guardrail verdict = new RunEvent.Guardrail("output", "redact", Map.of("pii", true),
                List.of("rules"), false);
        return List.of(
                new RunEvent.RunStarted(stamp(1), "assistant", "gpt-4.1", 1, true, null, null),
                new RunEvent.StepStarted(stamp(2), 2, "assistant", UUID.randomUUID()),
                new RunEvent.StepDelta(stamp(3), 2, RunEvent.Delta.text("Hel")),
                new RunEvent.StepDelta(stamp(4), 2, new RunEvent.Delta(null, toolPart)),
                new RunEvent.StepCompleted(stamp(5), 3, view),
                new RunEvent.ToolCallStarted(stamp(6), "c1", "echo", "{\"text\":\"x\"}", 4),
                new RunEvent.ToolCallCompleted(stamp(7), "c1", "echo", true, "x", null, 1.25, 4),
                new RunEvent.ToolCallCompleted(stamp(8), "c2", "echo", false, null, "cancelled", 0.0, 5),
                RunEnd.of(RunStatus.COMPLETED, 5, usage, "done", null).judgedBy(verdict).atMaxSteps().stamped(stamp(9)),
                RunEnd.of(RunStatus.INTERRUPTED, 5, usage, null, "stopped").sweptEnd().stamped(stamp(10)),
                RunEnd.of(RunStatus.ERROR, 5, usage, null, "upstream answered HTTP 500").upstreamStatus(500)
                        .replayed().stamped(stamp(11)),
                RunEnd.paused(3, List.of(new RunEvent.PendingCall("c1", "transfer_funds", "{}")), false)
                        .stamped(stamp(12)),
                RunEnd.queued().stamped(stamp(0)),
                RunEnd.of(RunStatus.CANCELLED, 1, usage, null, RunEnd.INPUT_BLOCKED)
                        .trippedBy(new RunEvent.Guardrail("input", "block", Map.of("violence", true), List.of("model"),
                                true)).stamped(stamp(2)));
    }

    @Test
    void everyKindDecodesToTheRecordItWasEncodedFrom() {
        List<RunEvent> events = oneOfEach();
        assertThat(events.stream().map(RunEvent::type).collect(Collectors.toSet()))
                .as("the sample covers every type").containsExactlyInAnyOrder(RunEventType.values());
        for (RunEvent e : events) {
            assertThat(codec.decode(codec.encode(e))).as(e.type().wire()).isEqualTo(e);
        }
    }

    @Test
    void theWireIsTheEnvelopeThenTheRecordsFieldsInSnakeCase() throws Exception {
        RunEvent.ToolCallCompleted done = new RunEvent.ToolCallCompleted(stamp(7), "c1", "echo", true, "x", null,
                1.25, 4);
        JsonNode node = json.readTree(codec.encode(done));
        assertThat(names(node)).containsExactly("type", "run_id", "session_id", "event_seq", "ts", "tool_call_id",
                "name", "ok", "result", "duration_ms", "sequence");
        assertThat(node.get("type").asText()).isEqualTo("tool_call_completed");
        assertThat(node.get("event_seq").asLong()).isEqualTo(7);
        assertThat(node.get("ts").asText()).isEqualTo("2026-12-03T10:00:00.123456Z");
    }

    @Test
    void optionalFlagsAreAbsentUnlessSet() throws Exception {
        JsonNode plain = json.readTree(codec.encode(new RunEvent.RunStarted(stamp(1), "assistant", "gpt-4.1", 1,
                RunEnd.flag(false), null, null)));
        assertThat(names(plain)).doesNotContain("input_redacted", "resumed", "replay");
        JsonNode redacted = json.readTree(codec.encode(new RunEvent.RunStarted(stamp(1), "assistant", "gpt-4.1", 1,
                RunEnd.flag(true), null, null)));
        assertThat(redacted.get("input_redacted").asBoolean()).isTrue();
    }

    @Test
    void aStoppedRunEndsRunCancelledWithStatusInterruptedAndItsReason() throws Exception {
        JsonNode end = json.readTree(codec.encode(RunEnd.of(RunStatus.INTERRUPTED, 3, RunEvent.Usage.of(1, 2), "x",
                "stop requested").stamped(stamp(9))));
        assertThat(end.get("type").asText()).isEqualTo("run_cancelled");
        assertThat(end.get("status").asText()).isEqualTo("interrupted");
        assertThat(end.get("reason").asText()).isEqualTo("stop requested");
        assertThat(names(end)).doesNotContain("error", "output_text");
        assertThat(end.at("/usage/total_tokens").asInt()).isEqualTo(3);
    }

    @Test
    void theTerminalTypesAreTheTerminalRecords() {
        for (RunEvent e : oneOfEach()) {
            assertThat(e instanceof RunEvent.Terminal).as(e.type().wire()).isEqualTo(e.type().isTerminal());
        }
        Set<Class<?>> permitted = Arrays.stream(RunEvent.class.getPermittedSubclasses())
                .flatMap(c -> c.isInterface() ? Arrays.stream(c.getPermittedSubclasses()) : java.util.stream.Stream.of(c))
                .collect(Collectors.toSet());
        assertThat(permitted).containsExactlyInAnyOrderElementsOf(RunEventCodec.records().values());
    }

    @Test
    void theSessionSocketGetsTheFieldsWithoutTheEnvelope() {
        Map<String, Object> fields = codec.fields(new RunEvent.ToolCallCompleted(stamp(7), "c1", "echo", false, null,
                "boom", 2.0, 4));
        assertThat(fields).containsOnlyKeys("tool_call_id", "name", "ok", "error", "duration_ms", "sequence")
                .containsEntry("error", "boom");
    }

    @Test
    void whatIsNotAnEventIsRefusedWithTheReason() {
        assertThatThrownBy(() -> codec.decode("not json")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a run event");
        assertThatThrownBy(() -> codec.decode("[1]")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> codec.decode("{\"type\":\"run_exploded\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("run_exploded");
        assertThatThrownBy(() -> codec.decode("{\"type\":\"run_queued\",\"run_id\":\"nope\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("envelope");
        String good = codec.encode(RunEnd.queued().stamped(stamp(0)));
        assertThatThrownBy(() -> codec.decode(good.replace("}", ",\"surprise\":1}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("surprise");
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
