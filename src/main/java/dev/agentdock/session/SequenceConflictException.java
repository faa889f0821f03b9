package dev.agentdock.session;

import dev.agentdock.common.DomainException;
import java.util.UUID;

/**
 * Another writer took this sequence number first. The unique (session_id, sequence) constraint decided; the
 * caller's transaction is rolled back and it may retry with a fresh next sequence.
 */
public final class SequenceConflictException extends DomainException.Conflict {

    private final UUID sessionId;
    private final int sequence;

    public SequenceConflictException(UUID sessionId, int sequence) {
        super("sequence-conflict", "sequence " + sequence + " of session " + sessionId
                + " was written concurrently by another writer; retry");
        this.sessionId = sessionId;
        this.sequence = sequence;
    }

    public UUID sessionId() {
        return sessionId;
    }

    public int sequence() {
        return sequence;
    }
}
