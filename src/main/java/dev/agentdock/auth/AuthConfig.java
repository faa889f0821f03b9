package dev.agentdock.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Who may call the API ({@code agentdock.auth.*}); see README "Authentication". */
@ConfigMapping(prefix = "agentdock.auth")
public interface AuthConfig {

    enum Mode {
        /** Supabase-issued access tokens (HS256 secret and/or a JWKS), plus the service key. */
        JWT,
        /** Dev only: the caller names itself with {@code X-User-Id}. The prod profile refuses to start with it. */
        NONE
    }

    @WithDefault("jwt")
    Mode mode();

    /** Shared secret of trusted backends, sent as {@code X-Service-Key}; unset = no service callers. */
    Optional<String> serviceKey();

    Jwt jwt();

    interface Jwt {
        /** HS256 secret (Supabase's legacy "JWT secret"). */
        Optional<String> secret();

        /** JWKS of asymmetric signing keys (RS256/ES256), e.g. {@code https://<project>.supabase.co/auth/v1/.well-known/jwks.json}. */
        Optional<String> jwksUrl();

        /** Expected {@code iss}; unset = not checked. */
        Optional<String> issuer();

        /** Expected {@code aud}; Supabase puts {@code authenticated} in user tokens. */
        @WithDefault("authenticated")
        String audience();

        /** The longest a token may be valid ({@code exp} − {@code iat}); longer-lived tokens are refused. */
        @WithDefault("24h")
        Duration maxLifetime();

        /** Tolerated clock difference for {@code exp}/{@code iat}. */
        @WithDefault("30s")
        Duration clockSkew();
    }
}
