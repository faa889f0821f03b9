package dev.agentdock.it;

import dev.agentdock.TestIdentity;
import io.restassured.RestAssured;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Makes an inherited suite present its users as bearer tokens the prod-mode jar accepts, for the duration of
 * that suite only (other integration tests in the same JVM talk to dev-mode instances).
 */
public class ProdJarIdentity implements BeforeAllCallback, AfterAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        TestIdentity.useJwt(ProdJarProfile.SECRET, ProdJarProfile.ISSUER);
        RestAssured.replaceFiltersWith(List.of(TestIdentity.restAssured()));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        TestIdentity.useJwt(null, null);
        RestAssured.replaceFiltersWith(List.of());
    }
}
