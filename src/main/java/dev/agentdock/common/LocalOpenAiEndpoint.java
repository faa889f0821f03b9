package dev.agentdock.common;

/**
 * An OpenAI-compatible endpoint served by this very process (the embedded simulator in dev/test).
 * Core code injects {@code Instance<LocalOpenAiEndpoint>} and falls back to it when no real API key is configured;
 * the instance is unsatisfied when the simulator is compiled out of the build.
 */
public interface LocalOpenAiEndpoint {

    /** Base URL including the {@code /v1} suffix, e.g. {@code http://127.0.0.1:8081/v1}. */
    String baseUrl();
}
