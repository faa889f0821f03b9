package dev.agentdock.common;

import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.doubleKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/**
 * Span attributes of the OpenTelemetry GenAI semantic conventions (and a few of agentdock's own) that the run's
 * spans carry. Kept here rather than taken from the incubating semconv artifact, which is not on the classpath.
 */
public final class GenAiAttributes {

    public static final AttributeKey<String> OPERATION_NAME = stringKey("gen_ai.operation.name");
    public static final AttributeKey<String> PROVIDER_NAME = stringKey("gen_ai.provider.name");
    /** The older name of {@link #PROVIDER_NAME}; many tracing backends still read only this one. */
    public static final AttributeKey<String> SYSTEM = stringKey("gen_ai.system");
    public static final AttributeKey<String> REQUEST_MODEL = stringKey("gen_ai.request.model");
    public static final AttributeKey<String> RESPONSE_MODEL = stringKey("gen_ai.response.model");
    public static final AttributeKey<String> RESPONSE_ID = stringKey("gen_ai.response.id");
    public static final AttributeKey<List<String>> FINISH_REASONS = stringArrayKey("gen_ai.response.finish_reasons");
    public static final AttributeKey<Long> INPUT_TOKENS = longKey("gen_ai.usage.input_tokens");
    public static final AttributeKey<Long> OUTPUT_TOKENS = longKey("gen_ai.usage.output_tokens");
    public static final AttributeKey<String> AGENT_NAME = stringKey("gen_ai.agent.name");
    public static final AttributeKey<String> CONVERSATION_ID = stringKey("gen_ai.conversation.id");
    public static final AttributeKey<String> TOOL_NAME = stringKey("gen_ai.tool.name");
    public static final AttributeKey<String> TOOL_CALL_ID = stringKey("gen_ai.tool.call.id");
    public static final AttributeKey<String> TOOL_TYPE = stringKey("gen_ai.tool.type");
    public static final AttributeKey<String> ERROR_TYPE = stringKey("error.type");

    public static final AttributeKey<String> RUN_ID = stringKey("agentdock.run_id");
    public static final AttributeKey<String> SESSION_ID = stringKey("agentdock.session_id");
    public static final AttributeKey<String> RUN_STATUS = stringKey("agentdock.run.status");
    /** Where the OpenAI-compatible calls went: {@code openai}, {@code openai-compatible} or {@code simulator}. */
    public static final AttributeKey<String> UPSTREAM = stringKey("agentdock.upstream");
    /** A call the run stopped on purpose (a user's stop): not an error, so no {@link #ERROR_TYPE}. */
    public static final AttributeKey<Boolean> CANCELLED = booleanKey("agentdock.cancelled");
    public static final AttributeKey<Double> TIME_TO_FIRST_TOKEN_MS = doubleKey("agentdock.time_to_first_token_ms");

    /** The API every model call speaks, whichever server answers it. */
    public static final String OPENAI = "openai";

    private GenAiAttributes() {
    }
}
