package dev.agentdock.auth;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AuthStartupCheckTest {

    @Test
    void prodRefusesModeNone() {
        assertThatThrownBy(() -> AuthStartupCheck.verify(List.of("prod"), AuthConfig.Mode.NONE, true, false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("agentdock.auth.mode=none")
                .hasMessageContaining("prod");
    }

    @Test
    void devAndTestMayRunWithoutAuthentication() {
        assertThatCode(() -> AuthStartupCheck.verify(List.of("dev"), AuthConfig.Mode.NONE, false, false))
                .doesNotThrowAnyException();
        assertThatCode(() -> AuthStartupCheck.verify(List.of("test"), AuthConfig.Mode.NONE, false, false))
                .doesNotThrowAnyException();
    }

    @Test
    void jwtNeedsASecretOrAJwks() {
        assertThatThrownBy(() -> AuthStartupCheck.verify(List.of("prod"), AuthConfig.Mode.JWT, false, false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SUPABASE_JWT_SECRET");
        assertThatCode(() -> AuthStartupCheck.verify(List.of("prod"), AuthConfig.Mode.JWT, true, false))
                .doesNotThrowAnyException();
        assertThatCode(() -> AuthStartupCheck.verify(List.of("prod"), AuthConfig.Mode.JWT, false, true))
                .doesNotThrowAnyException();
    }

    @Test
    void aProfileNamedLikeProdIsNotProd() {
        assertThatCode(() -> AuthStartupCheck.verify(List.of("production-like"), AuthConfig.Mode.NONE, false, false))
                .doesNotThrowAnyException();
    }
}
