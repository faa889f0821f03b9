package dev.agentdock.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.common.DomainException;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.consumer.InvalidJwtException;

/**
 * Verifies Supabase access tokens with SmallRye JWT, built from {@link AuthConfig} rather than {@code mp.jwt.*}:
 * an HS256 shared secret, a JWKS (RS256/ES256), or both at once — a project moving to asymmetric keys still
 * sees legacy HS256 tokens — chosen by the token's {@code alg}.
 */
@ApplicationScoped
public class TokenVerifier {

    private final JWTParser hmac;
    private final JWTParser jwks;
    private final ObjectMapper json;
    private final long clockSkewSeconds;
    private final long maxLifetimeSeconds;

    /** The longest user id the tables hold. */
    static final int MAX_SUBJECT = 200;

    TokenVerifier(AuthConfig config, ObjectMapper json) {
        config.jwt().secret().ifPresent(dev.agentdock.common.Secrets::register);
        this.clockSkewSeconds = config.jwt().clockSkew().toSeconds();
        this.maxLifetimeSeconds = config.jwt().maxLifetime().toSeconds();
        this.json = json;
        AuthConfig.Jwt jwt = config.jwt();
        this.hmac = jwt.secret().map(secret -> {
            JWTAuthContextInfo info = context(jwt);
            info.setSecretVerificationKey(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            info.setSignatureAlgorithm(Set.of(SignatureAlgorithm.HS256));
            return (JWTParser) new DefaultJWTParser(info);
        }).orElse(null);
        this.jwks = jwt.jwksUrl().map(url -> {
            JWTAuthContextInfo info = context(jwt);
            info.setPublicKeyLocation(url);
            info.setSignatureAlgorithm(Set.of(SignatureAlgorithm.RS256, SignatureAlgorithm.ES256));
            return (JWTParser) new DefaultJWTParser(info);
        }).orElse(null);
    }

    /** Whether verification may fetch keys over the network (JWKS), so must not run on an event loop. */
    public boolean mayBlock() {
        return jwks != null;
    }

    /** A verified token: its subject and its expiry ({@code exp}). */
    public record Verified(String subject, java.time.Instant expiresAt) {
    }

    /** The token's subject ({@code sub}), if the token is valid; otherwise {@link DomainException.Unauthorized}. */
    public String subject(String token) {
        return verify(token).subject();
    }

    /** The token's subject and expiry, if the token is valid; otherwise {@link DomainException.Unauthorized}. */
    public Verified verify(String token) {
        JWTParser parser = "HS256".equals(algorithm(token)) ? hmac : jwks;
        if (parser == null) {
            throw new DomainException.Unauthorized("the token is signed with an algorithm this service does not accept", true);
        }
        JsonWebToken verified;
        try {
            verified = parser.parse(token);
        } catch (ParseException e) {
            throw new DomainException.Unauthorized(reason(e), true);
        }
        checkLifetime(verified.getIssuedAtTime(), verified.getExpirationTime(), java.time.Instant.now().getEpochSecond());
        String subject = verified.getSubject();
        if (subject == null || subject.isBlank()) {
            throw new DomainException.Unauthorized("the token has no subject (sub)", true);
        }
        if (subject.length() > MAX_SUBJECT || subject.chars().anyMatch(Character::isISOControl)) {
            // a user id is stored with every row: it must fit its column and be printable
            throw new DomainException.Unauthorized("the token's subject (sub) is not a valid user id", true);
        }
        long exp = verified.getExpirationTime();
        return new Verified(subject, exp > 0 ? java.time.Instant.ofEpochSecond(exp) : null);
    }

    /**
     * A token issued in the future, or valid for longer than {@code max-lifetime} (a leaked one would stay good for
     * years), is refused: Supabase's access tokens live an hour.
     */
    void checkLifetime(long issuedAt, long expiresAt, long now) {
        if (issuedAt > now + clockSkewSeconds) {
            throw new DomainException.Unauthorized("the token was issued in the future (iat)", true);
        }
        long from = issuedAt > 0 ? issuedAt : now;
        if (expiresAt - from > maxLifetimeSeconds) {
            throw new DomainException.Unauthorized("the token is valid for longer than this service accepts ("
                    + maxLifetimeSeconds / 3600 + " h)", true);
        }
    }

    private static JWTAuthContextInfo context(AuthConfig.Jwt jwt) {
        JWTAuthContextInfo info = new JWTAuthContextInfo();
        jwt.issuer().ifPresent(info::setIssuedBy);
        info.setExpectedAudience(Set.of(jwt.audience()));
        info.setClockSkew((int) jwt.clockSkew().toSeconds());
        return info;
    }

    /** The {@code alg} of the JOSE header, read without trusting it: it only picks which key set to verify with. */
    private String algorithm(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0) {
            throw new DomainException.Unauthorized("the token is not a JWT", true);
        }
        try {
            JsonNode header = json.readTree(Base64.getUrlDecoder().decode(token.substring(0, dot)));
            return header.path("alg").asText("");
        } catch (Exception e) {
            throw new DomainException.Unauthorized("the token is not a JWT", true);
        }
    }

    private static String reason(ParseException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvalidJwtException invalid && invalid.hasExpired()) {
                return "the token has expired";
            }
        }
        return "the token could not be verified (signature, audience, issuer or format)";
    }
}
