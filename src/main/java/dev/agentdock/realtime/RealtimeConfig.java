package dev.agentdock.realtime;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The realtime session bootstrap: which Realtime model sessions use and how long to wait for OpenAI. */
@ConfigMapping(prefix = "agentdock.realtime")
public interface RealtimeConfig {

    /** The Realtime model ephemeral keys are minted for. */
    @WithDefault("gpt-realtime")
    String model();

    @WithDefault("5s")
    Duration connectTimeout();

    /** Input transcription model of minted sessions (transcripts feed the timeline and the guardrails). */
    @WithDefault("gpt-4o-mini-transcribe")
    String transcriptionModel();

    /** {@code server_vad} or {@code semantic_vad}. */
    @WithDefault("semantic_vad")
    String turnDetection();

    @WithDefault("audio")
    java.util.List<String> outputModalities();

    /**
     * How much of a continued session's history (characters of its items) {@code /api/session2?session_id=} returns
     * and the service puts on the call it attaches to; the oldest whole turns go first.
     */
    @WithDefault("8000")
    int historyMaxChars();

    /** The whole client-secret call, connection included. */
    @WithDefault("15s")
    Duration requestTimeout();
}
