package dev.agentdock.auth;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.SmallRyeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.eclipse.microprofile.config.Config;

/**
 * Refuses to start with an authentication setup that would let anybody in or nobody: mode {@code none} under the
 * {@code prod} profile, mode {@code jwt} with no way to verify a token, or an HS256 secret short enough to guess.
 */
@ApplicationScoped
public class AuthStartupCheck {

    static final int MIN_SECRET_BYTES = 32;

    void onStart(@Observes StartupEvent start, AuthConfig config, Config mpConfig) {
        verify(mpConfig.unwrap(SmallRyeConfig.class).getProfiles(), config.mode(),
                config.jwt().secret().orElse(null), config.jwt().jwksUrl().isPresent());
    }

    /** Throws {@link IllegalStateException} naming every problem; silent when the setup is acceptable. */
    static void verify(Collection<String> activeProfiles, AuthConfig.Mode mode, String secret, boolean hasJwks) {
        boolean hasSecret = secret != null && !secret.isBlank();
        List<String> problems = new ArrayList<>();
        if (mode == AuthConfig.Mode.NONE && activeProfiles.contains("prod")) {
            problems.add("agentdock.auth.mode=none lets every caller pick its user and is refused in the prod "
                    + "profile; set AGENTDOCK_AUTH_MODE=jwt with SUPABASE_JWT_SECRET or SUPABASE_JWKS_URL");
        }
        if (mode == AuthConfig.Mode.JWT && !hasSecret && !hasJwks) {
            problems.add("agentdock.auth.mode=jwt needs a way to verify tokens: set SUPABASE_JWT_SECRET (HS256) "
                    + "and/or SUPABASE_JWKS_URL (RS256/ES256)");
        }
        if (hasSecret && secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            // RFC 7518 §3.2: an HS256 key must be at least as long as the hash; a short one can be brute-forced
            problems.add("SUPABASE_JWT_SECRET is shorter than " + MIN_SECRET_BYTES + " bytes; an HS256 secret that "
                    + "short can be guessed");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("refusing to start: " + String.join("; ", problems));
        }
    }
}
