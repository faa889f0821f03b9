package dev.agentdock.orchestration;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** {@link SocketLimitsTest} against the packaged jar in the prod profile. */
@QuarkusIntegrationTest
@TestProfile(SocketLimitsJarProfile.class)
class SocketLimitsIT extends SocketLimitsTest {
}
