package dev.agentdock.auth;

import dev.agentdock.it.ProdJarProfile;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;

/** {@link JwtAuthenticationTest} against the packaged jar in the prod profile, with {@link JwtProfile}'s keys. */
@QuarkusIntegrationTest
@TestProfile(JwtAuthenticationIT.Jar.class)
class JwtAuthenticationIT extends JwtAuthenticationTest {

    public static class Jar extends JwtProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return ProdJarProfile.under(super.getConfigOverrides());
        }
    }
}
