package dev.agentdock.auth;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link FrontDoorSuite} with the HTTP permission policy opened for every path under {@code /api}: what still refuses
 * there is the second layer alone — {@code @Authenticated} on every resource, {@code deny-unannotated-endpoints} for
 * one that forgets it, and the non-JAX-RS route ({@code /api/responses}) refusing a request without a caller. So no
 * resource runs for nobody even if the path rules were misconfigured (issue 12: "an assertion, not a convention").
 */
@QuarkusTest
@TestProfile(FrontDoorWithoutPathRulesTest.ApiPathsPermitted.class)
class FrontDoorWithoutPathRulesTest extends FrontDoorSuite {

    public static class ApiPathsPermitted extends JwtProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("quarkus.http.auth.permission.api-opened.paths", "/api/*");
            overrides.put("quarkus.http.auth.permission.api-opened.policy", "permit");
            return overrides;
        }
    }

    @Override
    String secret() {
        return JwtProfile.SECRET;
    }

    @Override
    String issuer() {
        return JwtProfile.ISSUER;
    }

    /** A resource's media type is matched before its security check: a 415 also means it never ran. */
    @Override
    boolean refusedWithoutACaller(int status) {
        return status == 401 || status == 415;
    }

    /** Without the path rule a HEAD reaches routing, where a route that has no GET is not found: nothing ran. */
    @Override
    boolean headRefused(int status) {
        return status == 401 || status == 404 || status == 405;
    }
}
