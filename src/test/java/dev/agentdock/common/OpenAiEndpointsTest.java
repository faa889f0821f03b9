package dev.agentdock.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class OpenAiEndpointsTest {

    private static final LocalOpenAiEndpoint SIMULATOR = () -> "http://127.0.0.1:9999/sim/v1/";

    @Test
    void aConfiguredKeyWinsOverTheSimulator() {
        assertThat(OpenAiEndpoints.resolve(Optional.of("sk-real"), "https://api.openai.com/v1", Optional.of(SIMULATOR)))
                .isEqualTo(new OpenAiTarget("https://api.openai.com/v1", "sk-real", false));
    }

    @Test
    void withoutAKeyTheSimulatorIsUsed() {
        assertThat(OpenAiEndpoints.resolve(Optional.empty(), "https://api.openai.com/v1", Optional.of(SIMULATOR)))
                .isEqualTo(new OpenAiTarget("http://127.0.0.1:9999/sim/v1", "sk-simulator", true));
    }

    @Test
    void withoutKeyOrSimulatorItIsUnavailable() {
        assertThatThrownBy(() -> OpenAiEndpoints.resolve(Optional.empty(), "https://api.openai.com/v1", Optional.empty()))
                .isInstanceOf(DomainException.Unavailable.class)
                .hasMessage("OPENAI_API_KEY is not configured");
    }

    @Test
    void theKeyNeverShowsInToString() {
        assertThat(new OpenAiTarget("u", "sk-secret", false).toString()).doesNotContain("sk-secret");
    }
}
