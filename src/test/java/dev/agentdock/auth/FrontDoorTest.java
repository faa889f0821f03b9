package dev.agentdock.auth;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link FrontDoorSuite} in process, with JWT auth as deployed. */
@QuarkusTest
@TestProfile(JwtProfile.class)
class FrontDoorTest extends FrontDoorSuite {

    @Override
    String secret() {
        return JwtProfile.SECRET;
    }

    @Override
    String issuer() {
        return JwtProfile.ISSUER;
    }
}
