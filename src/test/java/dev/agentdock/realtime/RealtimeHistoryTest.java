package dev.agentdock.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.session.Step;
import dev.agentdock.session.StepRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RealtimeHistoryTest {

    private final ObjectMapper json = new ObjectMapper();

    private static Step step(StepRole role, String content) {
        Step s = new Step();
        s.id = UUID.randomUUID();
        s.role = role;
        s.content = content;
        return s;
    }

    /** A turn: the user asks, the assistant calls a tool, the tool answers, the assistant says it. */
    private static List<Step> turn(int n) {
        Step call = step(StepRole.ASSISTANT, null);
        call.toolCalls = "[{\"id\":\"call_" + n + "\",\"type\":\"function\",\"function\":{\"name\":\"echo\",\"arguments\":\"{}\"}}]";
        Step output = step(StepRole.TOOL, "out " + n);
        output.toolCallId = "call_" + n;
        return List.of(step(StepRole.USER, "question " + n), call, output, step(StepRole.ASSISTANT, "answer " + n));
    }

    @Test
    void theOldestWholeTurnsGoFirstAndACallNeverLosesItsOutput() {
        List<Step> steps = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            steps.addAll(turn(n));
        }
        List<Map<String, Object>> all = RealtimeHistory.items(steps, 1_000_000, json);
        assertThat(all).extracting(i -> i.get("type")).containsExactly("message", "function_call",
                "function_call_output", "message", "message", "function_call", "function_call_output", "message",
                "message", "function_call", "function_call_output", "message");
        int oneTurn = RealtimeHistory.items(turn(9), 1_000_000, json).stream()
                .mapToInt(i -> i.values().stream().mapToInt(v -> String.valueOf(v).length()).sum()).sum();

        List<Map<String, Object>> trimmed = RealtimeHistory.items(steps, oneTurn + oneTurn / 2, json);
        assertThat(trimmed).hasSize(4);
        assertThat(trimmed.get(0).get("content").toString()).contains("question 3");
        assertThat(trimmed.get(1).get("call_id")).isEqualTo("call_3");
        assertThat(trimmed.get(2).get("call_id")).isEqualTo("call_3");
        assertThat(RealtimeHistory.items(steps, 10, json)).isEmpty();
    }

    @Test
    void blockedStepsAreLeftOutAndIdsFitRealtimeItems() {
        List<Step> steps = new ArrayList<>(turn(1));
        steps.get(3).error = "guardrail_tripped";
        steps.get(0).externalId = "item_fromthecall";
        List<Map<String, Object>> items = RealtimeHistory.items(steps, 1_000_000, json);
        assertThat(items).hasSize(3);
        assertThat(items.get(0).get("id")).isEqualTo("item_fromthecall");
        assertThat(items).allSatisfy(i -> assertThat(((String) i.get("id")).length()).isLessThanOrEqualTo(32));
        assertThat((String) items.get(1).get("id")).startsWith(RealtimeHistory.ID_PREFIX);
    }
}
