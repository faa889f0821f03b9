package dev.agentdock.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OrchestrationUrlTest {

    private static final UUID ID = UUID.fromString("01890a5d-ac96-774b-bcce-b302099a8057");

    @Test
    void relativeWithoutAPublicBaseUrl() {
        assertThat(SessionBootstrapService.orchestrationUrl(Optional.empty(), ID)).isEqualTo("/ws/sessions/" + ID);
    }

    @Test
    void absoluteWebSocketUrlWithOne() {
        assertThat(SessionBootstrapService.orchestrationUrl(Optional.of("https://dock.example.com/"), ID))
                .isEqualTo("wss://dock.example.com/ws/sessions/" + ID);
        assertThat(SessionBootstrapService.orchestrationUrl(Optional.of("http://localhost:8080"), ID))
                .isEqualTo("ws://localhost:8080/ws/sessions/" + ID);
    }
}
