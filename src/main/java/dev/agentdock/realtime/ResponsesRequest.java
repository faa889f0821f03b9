package dev.agentdock.realtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.common.DomainException;
import dev.agentdock.common.ModelAllowlist;
import dev.agentdock.common.Problem;
import dev.agentdock.common.ProblemMapper;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;

/**
 * A client's Responses API request: its bytes, forwarded to OpenAI untouched, and the two fields the proxy reads.
 * What costs money or reaches across tenants is checked here (a key given twice is refused by the parser, so what
 * is checked is what OpenAI reads): the model, the top-level fields, the tool types and the output budget. OpenAI
 * judges the rest.
 */
record ResponsesRequest(Buffer body, String model, boolean stream, String previousResponseId) {

    private static final int ECHOED_MODEL_CHARS = 100;

    /** A body the proxy cannot read at all (400); carries its problem document. */
    static final class Unreadable extends RuntimeException {
        private final transient Problem problem;

        Unreadable(Problem problem) {
            super(problem.detail(), null, false, false);
            this.problem = problem;
        }

        Problem problem() {
            return problem;
        }
    }

    /**
     * @throws Unreadable             no body, not JSON, not an object, or {@code model}/{@code stream} of the wrong type
     * @throws DomainException.Invalid no {@code model}, or one outside the allowlist (422, listing them)
     */
    static ResponsesRequest parse(ObjectMapper json, Buffer body, ModelAllowlist models, ResponsesConfig limits,
                                  String path) {
        if (body == null || body.length() == 0) {
            throw new Unreadable(Problem.of(400, "bad-request",
                    "the request body is missing; send a Responses API request, e.g. {\"model\":…,\"input\":…}", path));
        }
        JsonNode node;
        try {
            node = json.readTree(body.getBytes());
        } catch (JsonProcessingException e) {
            throw new Unreadable(ProblemMapper.jsonProblem(e, path));
        } catch (IOException e) {
            throw new Unreadable(Problem.of(400, "malformed-json", "the request body is not valid JSON", path));
        }
        if (node == null || !node.isObject()) {
            throw new Unreadable(Problem.of(400, "invalid-json",
                    "the request body must be a JSON object (a Responses API request)", path));
        }
        JsonNode model = node.get("model");
        if (model == null || model.isNull()) {
            throw new DomainException.Invalid("model", "is required; allowed: " + allowed(models.allowed()));
        }
        if (!model.isTextual()) {
            throw new Unreadable(ProblemMapper.wrongType("model", "string", path));
        }
        models.require("model", model.asText());
        checkAllowed(node, limits);
        JsonNode stream = node.get("stream");
        if (stream != null && !stream.isNull() && !stream.isBoolean()) {
            throw new Unreadable(ProblemMapper.wrongType("stream", "boolean", path));
        }
        JsonNode previous = node.get("previous_response_id");
        String previousId = null;
        if (previous != null && !previous.isNull()) {
            if (!previous.isTextual()) {
                throw new Unreadable(ProblemMapper.wrongType("previous_response_id", "string", path));
            }
            previousId = previous.asText();
            if (previousId.isEmpty() || previousId.length() > 200 || !previousId.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new DomainException.Invalid("previous_response_id", "must be the id of a response, e.g. resp_…");
            }
        }
        return new ResponsesRequest(body, model.asText(), stream != null && stream.asBoolean(false), previousId);
    }

    private static void checkAllowed(JsonNode request, ResponsesConfig limits) {
        for (var names = request.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!limits.allowedFields().contains(field)) {
                throw new DomainException.Invalid(echoed(field), "is not passed through by this proxy; allowed: "
                        + allowed(limits.allowedFields()));
            }
        }
        JsonNode budget = request.get("max_output_tokens");
        if (budget != null && !budget.isNull() && (!budget.canConvertToInt() || budget.asInt() > limits.maxOutputTokens()
                || budget.asInt() < 1)) {
            throw new DomainException.Invalid("max_output_tokens", "must be an integer from 1 to " + limits.maxOutputTokens());
        }
        JsonNode tools = request.get("tools");
        if (tools != null && !tools.isNull()) {
            if (!tools.isArray()) {
                throw new DomainException.Invalid("tools", "must be an array");
            }
            for (int i = 0; i < tools.size(); i++) {
                JsonNode type = tools.get(i).get("type");
                if (type == null || !type.isTextual() || !limits.allowedToolTypes().contains(type.asText())) {
                    throw new DomainException.Invalid("tools[" + i + "].type", "must be one of: "
                            + allowed(limits.allowedToolTypes()));
                }
            }
        }
    }

    private static String echoed(String text) {
        return text.length() > ECHOED_MODEL_CHARS ? text.substring(0, ECHOED_MODEL_CHARS) + "…" : text;
    }

    private static String allowed(Set<String> models) {
        return String.join(", ", new TreeSet<>(models));
    }
}
