package dev.agentdock.auth;

import dev.agentdock.it.ProdJarProfile;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** {@link FrontDoorSuite} against the packaged jar in the prod profile. */
@QuarkusIntegrationTest
@TestProfile(ProdJarProfile.class)
class FrontDoorIT extends FrontDoorSuite {

    @Override
    String secret() {
        return ProdJarProfile.SECRET;
    }

    @Override
    String issuer() {
        return ProdJarProfile.ISSUER;
    }
}
