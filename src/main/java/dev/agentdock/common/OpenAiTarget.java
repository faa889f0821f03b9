package dev.agentdock.common;

/** Where OpenAI calls go and with which key. {@link #toString()} never shows the key. */
public record OpenAiTarget(String baseUrl, String apiKey, boolean simulated) {

    @Override
    public String toString() {
        return "OpenAiTarget[" + baseUrl + (simulated ? ", simulated" : "") + "]";
    }
}
