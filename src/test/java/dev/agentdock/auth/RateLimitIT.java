package dev.agentdock.auth;

import dev.agentdock.it.ProdJarProfile;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;

/** {@link RateLimitTest} against the packaged jar in the prod profile, with {@link JwtProfile}'s small limits on. */
@QuarkusIntegrationTest
@TestProfile(RateLimitIT.Jar.class)
class RateLimitIT extends RateLimitTest {

    public static class Jar extends JwtProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return ProdJarProfile.under(super.getConfigOverrides());
        }
    }
}
