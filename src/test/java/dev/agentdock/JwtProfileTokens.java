package dev.agentdock;

import dev.agentdock.auth.JwtProfile;
import java.lang.reflect.Field;

/**
 * Tokens for suites outside {@code auth} that run under {@link JwtProfile}: it keeps its secret to its package, so
 * this reads it once rather than copying the literal (a changed secret still fits).
 */
public final class JwtProfileTokens {

    private JwtProfileTokens() {
    }

    /** Makes {@link TestIdentity} (and so {@link SocketProbe} and {@link TestIdentity#bearer}) mint for JwtProfile. */
    public static void use() {
        TestIdentity.useJwt(read("SECRET"), read("ISSUER"));
    }

    /** JwtProfile's service key, for a trusted backend's requests. */
    public static String serviceKey() {
        return read("SERVICE_KEY");
    }

    public static void release() {
        TestIdentity.useJwt(null, null);
    }

    private static String read(String name) {
        try {
            Field field = JwtProfile.class.getDeclaredField(name);
            field.setAccessible(true);
            return (String) field.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("JwtProfile." + name, e);
        }
    }
}
