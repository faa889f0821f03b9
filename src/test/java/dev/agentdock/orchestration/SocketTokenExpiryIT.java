package dev.agentdock.orchestration;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** {@link SocketTokenExpiryTest} against the packaged jar in the prod profile. */
@QuarkusIntegrationTest
@TestProfile(SocketLimitsJarProfile.class)
class SocketTokenExpiryIT extends SocketTokenExpiryTest {
}
