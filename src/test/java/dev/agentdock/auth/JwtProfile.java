package dev.agentdock.auth;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.time.Instant;
import java.util.Map;

/**
 * The app as deployed: jwt mode with an HS256 secret, an issuer, a service key, and rate limits on (small, with a
 * long window so a test never straddles two windows by accident).
 */
public class JwtProfile implements QuarkusTestProfile {

    static final String SECRET = "test-only-hs256-secret-of-more-than-thirty-two-bytes";
    static final String ISSUER = "https://project.supabase.test/auth/v1";
    static final String SERVICE_KEY = "test-service-key-7c1e";
    static final int CHAT_LIMIT = 2;
    static final int RESPONSES_LIMIT = 3;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "agentdock.auth.mode", "jwt",
                "agentdock.auth.jwt.secret", SECRET,
                "agentdock.auth.jwt.issuer", ISSUER,
                "agentdock.auth.service-key", SERVICE_KEY,
                "agentdock.rate-limit.enabled", "true",
                "agentdock.rate-limit.chat.requests", Integer.toString(CHAT_LIMIT),
                "agentdock.rate-limit.chat.window", "1h",
                "agentdock.rate-limit.responses.requests", Integer.toString(RESPONSES_LIMIT),
                "agentdock.rate-limit.responses.window", "1h");
    }

    /** A Supabase-like user access token, valid for five minutes. */
    static JwtClaimsBuilder claims(String subject) {
        long now = Instant.now().getEpochSecond();
        return Jwt.issuer(ISSUER).subject(subject).audience("authenticated").claim("role", "authenticated")
                .issuedAt(now).expiresAt(now + 300);
    }

    static String token(String subject) {
        return claims(subject).signWithSecret(SECRET);
    }

    static String bearer(String subject) {
        return "Bearer " + token(subject);
    }
}
