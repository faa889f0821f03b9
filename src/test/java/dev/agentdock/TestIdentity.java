package dev.agentdock;

import io.restassured.filter.Filter;
import io.smallrye.jwt.build.Jwt;
import jakarta.ws.rs.client.ClientRequestFilter;
import java.time.Instant;

/**
 * How tests say who is calling. Against the test profile (auth mode {@code none}) a test names its user in
 * {@code X-User-Id}; against the packaged app in prod mode ({@code dev.agentdock.it}) the same tests run unchanged
 * and this turns that header into a signed bearer token, as a browser's Supabase session would send it.
 */
public final class TestIdentity {

    public static final String USER_HEADER = "X-User-Id";
    /** A trusted backend names the user in X-User-Id next to its service key, in every mode: left as it is. */
    private static final String SERVICE_KEY_HEADER = "X-Service-Key";
    private static volatile String jwtSecret;
    private static volatile String jwtIssuer;

    private TestIdentity() {
    }

    /** From now on, users are presented as HS256 tokens signed with this secret. */
    public static void useJwt(String secret, String issuer) {
        jwtSecret = secret;
        jwtIssuer = issuer;
    }

    public static boolean usesJwt() {
        return jwtSecret != null;
    }

    public static String bearer(String user) {
        return "Bearer " + token(user, 600);
    }

    /** A bare access token for {@code user} that expires {@code expiresInSeconds} from now. */
    public static String token(String user, long expiresInSeconds) {
        long now = Instant.now().getEpochSecond();
        return Jwt.issuer(jwtIssuer).subject(user).audience("authenticated").claim("role", "authenticated")
                .issuedAt(Math.min(now, now + expiresInSeconds - 1)).expiresAt(now + expiresInSeconds)
                .signWithSecret(jwtSecret);
    }

    /** Request headers as given, with the caller turned into a bearer token when tokens are in use. */
    public static java.util.Map<String, String> asHeaders(java.util.Map<String, String> headers) {
        if (!usesJwt() || headers.containsKey(SERVICE_KEY_HEADER) || headers.containsKey("Authorization")) {
            return headers;
        }
        java.util.Map<String, String> converted = new java.util.LinkedHashMap<>(headers);
        String user = converted.remove(USER_HEADER);
        converted.put("Authorization", bearer(user == null ? "anonymous" : user));
        return converted;
    }

    /** For RestAssured: replaces {@code X-User-Id} by {@code Authorization} when tokens are in use. */
    public static Filter restAssured() {
        return (request, response, ctx) -> {
            String user = request.getHeaders().getValue(USER_HEADER);
            if (usesJwt() && !request.getHeaders().hasHeaderWithName(SERVICE_KEY_HEADER)
                    && !request.getHeaders().hasHeaderWithName("Authorization")) {
                // no header at all is the anonymous caller of auth mode none
                user = user == null ? "anonymous" : user;
                request.removeHeader(USER_HEADER);
                request.header("Authorization", bearer(user));
            }
            return ctx.next(request, response);
        };
    }

    /** The same for the JAX-RS clients tests use for streams. */
    public static ClientRequestFilter restClient() {
        return request -> {
            Object user = request.getHeaders().getFirst(USER_HEADER);
            if (usesJwt() && user != null && !request.getHeaders().containsKey(SERVICE_KEY_HEADER)) {
                request.getHeaders().remove(USER_HEADER);
                request.getHeaders().putSingle("Authorization", bearer(user.toString()));
            }
        };
    }
}
