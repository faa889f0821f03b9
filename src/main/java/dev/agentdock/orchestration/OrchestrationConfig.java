package dev.agentdock.orchestration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the push channel ({@code agentdock.orchestration.*}). */
@ConfigMapping(prefix = "agentdock.orchestration")
public interface OrchestrationConfig {

    /** Events kept per session (and per user) for reconnecting clients. */
    @WithDefault("1000")
    int replayMaxEvents();

    /** How often each instance checks that Redis is reachable (readiness and the degraded notice follow it). */
    @WithDefault("2s")
    Duration probeInterval();

    /** Model of the root-agent classifier behind {@code /api/orchestrate}. */
    @WithDefault("gpt-4o-mini")
    String classifierModel();

    /** Time limit of a classification; past it the keyword fallback decides. */
    @WithDefault("3s")
    Duration classifierTimeout();

    /** How long a session's replay buffer lives after its last event. */
    @WithDefault("1h")
    Duration replayTtl();

    /** Limits of the orchestration sockets ({@code agentdock.orchestration.socket.*}). */
    Socket socket();

    interface Socket {

        /** How long past its token's expiry a socket stays open (clock skew, a refresh in flight); then 4401. */
        @WithDefault("5s")
        Duration expiryGrace();

        /** Sockets one user may hold open on one instance (both routes together); beyond, 4429. */
        @WithDefault("20")
        int maxPerUser();

        /** Resume frames a socket may send at once (its bucket's size). */
        @WithDefault("5")
        int resumeBurst();

        /** How often the resume bucket regains one frame. */
        @WithDefault("2s")
        Duration resumeRefill();

        /** Refused resumes in a row after which the socket is closed with 4429. */
        @WithDefault("5")
        int maxRefusedResumes();
    }
}
