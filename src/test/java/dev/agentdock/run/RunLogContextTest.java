package dev.agentdock.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentdock.run.SseChatClient.Frame;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every line the run and tool packages log while a run executes carries its run_id and session_id in the MDC —
 * whichever thread logs it: the run's own or the one its tool runs on.
 */
@QuarkusTest
@TestProfile(TelemetryProfile.class)
class RunLogContextTest {

    record Line(String logger, String thread, String message, Map<String, String> mdc) {
    }

    static final class Capture extends Handler {
        final List<Line> lines = new CopyOnWriteArrayList<>();

        @Override
        public void publish(LogRecord record) {
            if (record instanceof ExtLogRecord ext) {
                lines.add(new Line(ext.getLoggerName(), ext.getThreadName(), ext.getFormattedMessage(), ext.getMdcCopy()));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    private final Capture capture = new Capture();
    private final SseChatClient sse = new SseChatClient();

    @BeforeEach
    void install() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void uninstall() {
        Logger.getLogger("").removeHandler(capture);
    }

    private static boolean ofRunOrTool(Line line) {
        return line.logger().startsWith("dev.agentdock.run") || line.logger().startsWith("dev.agentdock.tool");
    }

    @Test
    void everyLineOfARunCarriesItsIdsOnEveryThread() {
        String marker = UUID.randomUUID().toString();
        List<Frame> frames = sse.chat("assistant", "user-" + UUID.randomUUID(), Map.of("message",
                "retry then note " + marker + " [[fail:429-once]] [[tool:log_note {\"text\":\"" + marker + "\"}]]"));
        assertThat(frames.getLast().type()).isEqualTo("run_completed");
        String runId = frames.getFirst().event().get("run_id").asText();
        String sessionId = frames.getFirst().event().get("session_id").asText();

        // the run logs its end after the client got the terminal event
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                capture.lines).anySatisfy(l -> assertThat(l.message()).contains("ended completed")));
        List<Line> lines = capture.lines.stream().filter(RunLogContextTest::ofRunOrTool).toList();
        // the run's thread (the 429 retry, the end), the tool's own thread (its note)
        assertThat(lines).anySatisfy(l -> assertThat(l.message()).contains("upstream 429, retry"));
        assertThat(lines).anySatisfy(l -> assertThat(l.message()).contains("ended completed"));
        Line note = lines.stream().filter(l -> l.message().contains("note from a tool: " + marker)).findFirst().orElseThrow();
        assertThat(note.thread()).isNotEqualTo("run-" + runId);
        assertThat(lines).allSatisfy(l -> {
            assertThat(l.mdc()).as(l.logger() + ": " + l.message()).containsEntry("run_id", runId);
            assertThat(l.mdc()).as(l.logger() + ": " + l.message()).containsEntry("session_id", sessionId);
        });
    }

    @Test
    void aFailingToolCallIsLoggedWithTheIdsOfItsRun() {
        List<Frame> frames = sse.chat("assistant", "user-" + UUID.randomUUID(),
                Map.of("message", "[[tool:echo {\"text\": oops]]"));
        String runId = frames.getFirst().event().get("run_id").asText();

        List<Line> lines = capture.lines.stream().filter(RunLogContextTest::ofRunOrTool).toList();
        assertThat(lines).anySatisfy(l -> assertThat(l.message()).startsWith("tool echo failed"));
        assertThat(lines).allSatisfy(l -> assertThat(l.mdc()).containsEntry("run_id", runId));
    }
}
