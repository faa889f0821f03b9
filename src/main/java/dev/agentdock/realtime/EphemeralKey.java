package dev.agentdock.realtime;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A short-lived Realtime client secret a browser may hold; {@code expiresAt} in epoch seconds. */
@RegisterForReflection
public record EphemeralKey(String value, long expiresAt) {

    @Override
    public String toString() {
        return "EphemeralKey[value=***, expiresAt=" + expiresAt + "]";
    }
}
