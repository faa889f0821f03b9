package dev.agentdock.realtime;

import dev.agentdock.auth.JwtProfile;
import dev.agentdock.it.ProdJarProfile;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;

/**
 * {@link Session2CallerTest} against the packaged jar in the prod profile: the voice session is the token's user's
 * (issue 12, High 4 — in prod it had been stored for "anonymous").
 */
@QuarkusIntegrationTest
@TestProfile(Session2CallerIT.Jar.class)
class Session2CallerIT extends Session2CallerTest {

    public static class Jar extends JwtProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return ProdJarProfile.under(super.getConfigOverrides());
        }
    }
}
