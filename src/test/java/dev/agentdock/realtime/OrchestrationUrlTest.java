package dev.agentdock.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OrchestrationUrlTest {

    private static final UUID ID = UUID.fromString("01890a5d-ac96-774b-bcce-b302099a8057");

    private static final Optional<RequestOrigin> VIA_PROXY = RequestOrigin.of(null, "https", "dock.example.com", "http",
            "10.0.0.7:8080");

    @Test
    void relativeOnlyWithoutAPublicBaseUrlOrAKnownOrigin() {
        assertThat(SessionBootstrapService.orchestrationUrl(Optional.empty(), Optional.empty(), ID))
                .isEqualTo("/ws/sessions/" + ID);
    }

    @Test
    void absoluteOnTheRequestsOriginWithoutAPublicBaseUrl() {
        assertThat(SessionBootstrapService.orchestrationUrl(Optional.empty(), VIA_PROXY, ID))
                .isEqualTo("wss://dock.example.com/ws/sessions/" + ID);
        assertThat(SessionBootstrapService.orchestrationUrl(Optional.empty(),
                RequestOrigin.of(null, null, null, "http", "localhost:8080"), ID))
                .isEqualTo("ws://localhost:8080/ws/sessions/" + ID);
    }

    @Test
    void aPublicBaseUrlWinsOverTheRequest() {
        assertThat(SessionBootstrapService.orchestrationUrl(Optional.of("https://dock.example.com/"), VIA_PROXY, ID))
                .isEqualTo("wss://dock.example.com/ws/sessions/" + ID);
        assertThat(SessionBootstrapService.orchestrationUrl(Optional.of("http://localhost:8080"), VIA_PROXY, ID))
                .isEqualTo("ws://localhost:8080/ws/sessions/" + ID);
    }

    @Test
    void forwardedHeadersAreReadNearestProxyFirstAndJunkIsRefused() {
        assertThat(RequestOrigin.of("proto=https;host=a.example, proto=http;host=b.example", "http", "c.example",
                "http", "d.example")).contains(new RequestOrigin("https", "a.example"));
        assertThat(RequestOrigin.of(null, "https, http", "x.example, y.example", "http", "z"))
                .contains(new RequestOrigin("https", "x.example"));
        assertThat(RequestOrigin.of(null, "gopher", null, null, "h.example")).contains(new RequestOrigin("http", "h.example"));
        assertThat(RequestOrigin.of(null, null, "bad host/with path", "http", null)).isEmpty();
        assertThat(RequestOrigin.of(null, null, null, "http", null)).isEmpty();
    }
}
