package dev.agentdock.run.approval;

import dev.agentdock.it.ProdJarIdentity;
import dev.agentdock.it.ProdJarProfile;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link ToolApprovalTest} against the packaged jar in the prod profile. */
@QuarkusIntegrationTest
@TestProfile(ProdJarProfile.class)
@ExtendWith(ProdJarIdentity.class)
class ToolApprovalIT extends ToolApprovalTest {
}
