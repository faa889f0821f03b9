package dev.agentdock.run;

/** What a new message does when the session already has an active run. */
public enum Multitask {
    /** Refuse with 409 (the default). */
    REJECT,
    /** Stop the active run, keeping its partial text, then run the new message. */
    INTERRUPT,
    /** Stop the active run and delete what it wrote, then run the new message. */
    ROLLBACK,
    /** Queue the message; it runs when the active run ends, on whichever instance ends it. */
    ENQUEUE
}
