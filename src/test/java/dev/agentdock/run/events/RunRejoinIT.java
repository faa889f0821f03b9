package dev.agentdock.run.events;

import dev.agentdock.it.ProdJarIdentity;
import dev.agentdock.it.ProdJarProfile;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link RunRejoinTest} against the packaged jar in the prod profile. */
@QuarkusIntegrationTest
@TestProfile(ProdJarProfile.class)
@ExtendWith(ProdJarIdentity.class)
class RunRejoinIT extends RunRejoinTest {
}
