package dev.agentdock.session;

import dev.agentdock.it.ProdJarIdentity;
import dev.agentdock.it.ProdJarProfile;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link StepQuotaTest} against the packaged jar in the prod profile, with the same small caps. */
@QuarkusIntegrationTest
@TestProfile(StepQuotaIT.Jar.class)
@ExtendWith(ProdJarIdentity.class)
class StepQuotaIT extends StepQuotaTest {

    public static class Jar extends SmallQuota {
        @Override
        public Map<String, String> getConfigOverrides() {
            return ProdJarProfile.under(super.getConfigOverrides());
        }
    }
}
