package dev.agentdock.common;

import java.security.SecureRandom;
import java.util.UUID;

/** Time-ordered UUIDs (version 7), so new rows land at the right edge of their indexes. */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static UUID newId() {
        long millis = System.currentTimeMillis();
        long randA = RANDOM.nextInt(1 << 12);
        long msb = (millis << 16) | (0x7L << 12) | randA;
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    /** Parses a client-supplied id, or answers a 422 naming the field. */
    public static UUID parse(String field, String value) {
        try {
            if (value == null || value.length() != 36) {
                throw new IllegalArgumentException();
            }
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new DomainException.Invalid(field, "must be a UUID");
        }
    }
}
