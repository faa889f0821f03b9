package dev.agentdock.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentdock.it.ProdJarIdentity;
import dev.agentdock.it.ProdJarProfile;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link BrowserCorsTest} against the packaged jar in the prod profile, where browsers are not offered backend headers. */
@QuarkusIntegrationTest
@TestProfile(ProdJarProfile.class)
@ExtendWith(ProdJarIdentity.class)
class BrowserCorsIT extends BrowserCorsTest {

    @Test
    void prodDoesNotAdvertiseTheServiceKeyOrUserIdHeaders() {
        String allowed = preflight("authorization").statusCode(200).extract().header("Access-Control-Allow-Headers");
        assertThat(allowed.toLowerCase()).contains("authorization").doesNotContain("x-service-key")
                .doesNotContain("x-user-id");
    }
}
