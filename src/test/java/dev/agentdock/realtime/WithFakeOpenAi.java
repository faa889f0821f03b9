package dev.agentdock.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentdock.common.CapturedLogs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Tests against {@link FakeOpenAi} (their class carries {@code @TestProfile(FakeOpenAiProfile.class)}): each starts
 * with OpenAI answering OK and nothing received, and ends by checking that the server's key was never logged.
 */
abstract class WithFakeOpenAi {

    @FakeOpenAi.Inject
    FakeOpenAi openAi;

    CapturedLogs logs;

    @BeforeEach
    void resetOpenAi() {
        openAi.answer = FakeOpenAi.Answer.OK;
        openAi.received.clear();
        logs = CapturedLogs.install();
    }

    @AfterEach
    void keyNeverLogged() {
        logs.uninstall();
        assertThat(logs.all()).doesNotContain(FakeOpenAi.SERVER_KEY).doesNotContain("SERVERKEY");
    }
}
