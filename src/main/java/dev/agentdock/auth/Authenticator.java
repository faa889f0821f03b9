package dev.agentdock.auth;

import dev.agentdock.common.DomainException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Turns the credentials of an HTTP request (or of a WebSocket upgrade) into a {@link Caller}:
 * <ul>
 *   <li>{@code X-Service-Key} (any mode): a trusted backend acting for the user in {@code X-User-Id};</li>
 *   <li>mode {@code jwt}: a Supabase access token from {@code Authorization: Bearer}, else the {@code access_token}
 *       query parameter or {@code Sec-WebSocket-Protocol: bearer, <token>} (browsers cannot set headers on a
 *       WebSocket); the user is the token's {@code sub};</li>
 *   <li>mode {@code none} (dev): whoever {@code X-User-Id} (or {@code ?user_id=}) names, else {@code anonymous}.</li>
 * </ul>
 * Verification is CPU-only except when a JWKS must be (re)fetched; see {@link #mayBlock()}.
 */
@ApplicationScoped
public class Authenticator {

    public static final String USER_HEADER = "X-User-Id";
    public static final String SERVICE_KEY_HEADER = "X-Service-Key";
    static final String ANONYMOUS = "anonymous";
    private static final int MAX_USER_ID = 200;

    private final AuthConfig.Mode mode;
    private final byte[] serviceKey;
    private final TokenVerifier tokens;

    Authenticator(AuthConfig config, TokenVerifier tokens) {
        this.mode = config.mode();
        this.serviceKey = config.serviceKey().map(k -> k.getBytes(StandardCharsets.UTF_8)).orElse(null);
        this.tokens = tokens;
        config.serviceKey().ifPresent(dev.agentdock.common.Secrets::register);
    }

    /** The caller of a WebSocket upgrade (which may carry its token outside the headers). */
    public Caller authenticate(HttpServerRequest request) {
        return authenticate(request, true);
    }

    /**
     * The caller of this request; throws {@link DomainException.Unauthorized} when it has no acceptable credentials.
     * {@code tokenOutsideHeader}: whether a token in {@code ?access_token=} or the WebSocket subprotocol counts.
     */
    public Caller authenticate(HttpServerRequest request, boolean tokenOutsideHeader) {
        String presentedKey = request.getHeader(SERVICE_KEY_HEADER);
        if (presentedKey != null) {
            return service(presentedKey, request.getHeader(USER_HEADER));
        }
        return switch (mode) {
            case NONE -> new Caller(named(firstNonBlank(request.getHeader(USER_HEADER), request.getParam("user_id"))), false);
            case JWT -> caller(tokens.verify(bearerToken(request, tokenOutsideHeader)));
        };
    }

    /** Whether callers present tokens at all (mode {@code jwt}); in the dev mode there is nothing to refresh. */
    public boolean usesTokens() {
        return mode == AuthConfig.Mode.JWT;
    }

    /**
     * The caller of a bare access token, as a socket presents a fresh one in a frame; throws
     * {@link DomainException.Unauthorized} when it is not valid (or the mode uses no tokens).
     */
    public Caller authenticateToken(String token) {
        if (mode != AuthConfig.Mode.JWT) {
            throw new DomainException.Unauthorized("this service does not use access tokens", true);
        }
        if (token == null || token.isBlank()) {
            throw new DomainException.Unauthorized("an access token is required", false);
        }
        return caller(tokens.verify(token.trim()));
    }

    private static Caller caller(TokenVerifier.Verified token) {
        return new Caller(token.subject(), false, token.expiresAt());
    }

    /** Whether {@link #authenticate} may block (a JWKS fetch), so callers on an event loop should move off it. */
    public boolean mayBlock() {
        return mode == AuthConfig.Mode.JWT && tokens.mayBlock();
    }

    private Caller service(String presentedKey, String userHeader) {
        // Constant-time: the comparison must not tell how much of a guessed key was right.
        if (serviceKey == null
                || !MessageDigest.isEqual(serviceKey, presentedKey.trim().getBytes(StandardCharsets.UTF_8))) {
            throw new DomainException.Unauthorized("the service key is not valid", true);
        }
        if (userHeader == null || userHeader.isBlank()) {
            throw new DomainException.Unauthorized("a service caller must name the user it acts for in X-User-Id", true);
        }
        return new Caller(named(userHeader), true);
    }

    private static String bearerToken(HttpServerRequest request, boolean tokenOutsideHeader) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null) {
            String value = authorization.trim();
            if (value.length() > 7 && value.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return value.substring(7).trim();
            }
            throw new DomainException.Unauthorized("the Authorization header must be 'Bearer <token>'", true);
        }
        if (!tokenOutsideHeader) {
            throw new DomainException.Unauthorized("an access token is required (Authorization: Bearer <token>)", false);
        }
        String query = request.getParam("access_token");
        if (query != null && !query.isBlank()) {
            return query.trim();
        }
        String fromProtocol = protocolToken(request.getHeader("Sec-WebSocket-Protocol"));
        if (fromProtocol != null) {
            return fromProtocol;
        }
        throw new DomainException.Unauthorized("an access token is required (Authorization: Bearer <token>)", false);
    }

    /** {@code Sec-WebSocket-Protocol: bearer, <token>}: the element after {@code bearer}. */
    static String protocolToken(String header) {
        if (header == null) {
            return null;
        }
        String[] parts = header.split(",");
        for (int i = 0; i < parts.length - 1; i++) {
            if (parts[i].trim().equalsIgnoreCase("bearer")) {
                String token = parts[i + 1].trim();
                return token.isEmpty() ? null : token;
            }
        }
        return null;
    }

    private static String named(String userId) {
        if (userId == null || userId.isBlank()) {
            return ANONYMOUS;
        }
        String trimmed = userId.trim();
        return trimmed.length() > MAX_USER_ID ? trimmed.substring(0, MAX_USER_ID) : trimmed;
    }

    private static String firstNonBlank(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }
}
