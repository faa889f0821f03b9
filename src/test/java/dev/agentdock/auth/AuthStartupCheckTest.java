package dev.agentdock.auth;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AuthStartupCheckTest {

    private static final String SECRET = "a-secret-of-thirty-two-bytes-or-more!";

    @Test
    void aSecretShorterThan32BytesIsRefused() {
        assertThatThrownBy(() -> AuthStartupCheck.verify(List.of("prod"), AuthConfig.Mode.JWT, "12345", false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("shorter than 32 bytes");
        assertThatCode(() -> AuthStartupCheck.verify(List.of("prod"), AuthConfig.Mode.JWT, "x".repeat(32), false))
                .doesNotThrowAnyException();
    }

    @Test
    void prodRefusesModeNone() {
        assertThatThrownBy(() -> AuthStartupCheck.verify(List.of("prod"), AuthConfig.Mode.NONE, SECRET, false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("agentdock.auth.mode=none")
                .hasMessageContaining("prod");
    }

    @Test
    void devAndTestMayRunWithoutAuthentication() {
        assertThatCode(() -> AuthStartupCheck.verify(List.of("dev"), AuthConfig.Mode.NONE, null, false))
                .doesNotThrowAnyException();
        assertThatCode(() -> AuthStartupCheck.verify(List.of("test"), AuthConfig.Mode.NONE, null, false))
                .doesNotThrowAnyException();
    }

    @Test
    void jwtNeedsASecretOrAJwks() {
        assertThatThrownBy(() -> AuthStartupCheck.verify(List.of("prod"), AuthConfig.Mode.JWT, null, false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SUPABASE_JWT_SECRET");
        assertThatCode(() -> AuthStartupCheck.verify(List.of("prod"), AuthConfig.Mode.JWT, SECRET, false))
                .doesNotThrowAnyException();
        assertThatCode(() -> AuthStartupCheck.verify(List.of("prod"), AuthConfig.Mode.JWT, null, true))
                .doesNotThrowAnyException();
    }

    @Test
    void aProfileNamedLikeProdIsNotProd() {
        assertThatCode(() -> AuthStartupCheck.verify(List.of("production-like"), AuthConfig.Mode.NONE, null, false))
                .doesNotThrowAnyException();
    }
}
