package dev.agentdock.simulator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(SimulatorTestProfile.class)
class SimulatorChatCompletionsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static String request(String userText, boolean stream, Object seed) {
        ObjectNode body = JSON.createObjectNode().put("model", "gpt-4o-mini").put("stream", stream);
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", "You are terse.");
        messages.addObject().put("role", "user").put("content", userText);
        if (seed != null) {
            body.put("seed", seed.toString());
        }
        if (stream) {
            body.putObject("stream_options").put("include_usage", true);
        }
        return body.toString();
    }

    static SseClient.Result stream(String body) throws Exception {
        return SseClient.post(RestAssured.port, "/v1/chat/completions", body, Map.of(), 5_000);
    }

    static List<JsonNode> chunks(SseClient.Result result) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String data : result.data()) {
            if (!data.equals("[DONE]")) {
                out.add(JSON.readTree(data));
            }
        }
        return out;
    }

    static String content(List<JsonNode> chunks) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode chunk : chunks) {
            JsonNode delta = chunk.path("choices").path(0).path("delta");
            if (delta.hasNonNull("content")) {
                sb.append(delta.get("content").asText());
            }
        }
        return sb.toString();
    }

    static String nonStreamText(String userText, Object seed) {
        return given().contentType(ContentType.JSON).auth().oauth2("sim").body(request(userText, false, seed))
                .post("/v1/chat/completions").then().statusCode(200)
                .extract().path("choices[0].message.content");
    }

    @Test
    void nonStreamedReplyHasTheChatCompletionShape() {
        given().contentType(ContentType.JSON).auth().oauth2("sim")
                .body(request("Hello there simulator, how are you today?", false, 7))
                .post("/v1/chat/completions")
                .then().statusCode(200)
                .contentType(ContentType.JSON)
                .body("id", startsWith("chatcmpl-"))
                .body("object", equalTo("chat.completion"))
                .body("created", greaterThan(1_700_000_000))
                .body("model", equalTo("gpt-4o-mini"))
                .body("choices[0].index", equalTo(0))
                .body("choices[0].message.role", equalTo("assistant"))
                .body("choices[0].message.content", startsWith("Echo: Hello there simulator,"))
                .body("choices[0].message.tool_calls", nullValue())
                .body("choices[0].finish_reason", equalTo("stop"))
                .body("usage.prompt_tokens", equalTo(10))
                .body("usage.completion_tokens", equalTo(24))
                .body("usage.total_tokens", equalTo(34));
    }

    @Test
    void streamIsChunkedAsOpenAiDoesWithUsageAndDoneLast() throws Exception {
        SseClient.Result result = stream(request("Stream me a reply please", true, 3));

        assertEquals(200, result.status());
        assertTrue(result.contentType().startsWith("text/event-stream"), result.contentType());
        assertEquals(SseClient.Ending.COMPLETE, result.ending());
        assertEquals("[DONE]", result.data().getLast());
        List<JsonNode> chunks = chunks(result);
        for (JsonNode chunk : chunks) {
            assertEquals("chat.completion.chunk", chunk.path("object").asText());
            assertEquals("gpt-4o-mini", chunk.path("model").asText());
            assertEquals(chunks.getFirst().path("id").asText(), chunk.path("id").asText());
        }
        JsonNode first = chunks.getFirst().path("choices").path(0).path("delta");
        assertEquals("assistant", first.path("role").asText());
        assertEquals("", first.path("content").asText("missing"));
        // role chunk + 24 tokens + finish chunk + usage chunk
        assertEquals(27, chunks.size());
        assertEquals("stop", chunks.get(25).path("choices").path(0).path("finish_reason").asText());
        JsonNode usage = chunks.getLast();
        assertTrue(usage.path("choices").isArray() && usage.path("choices").isEmpty());
        assertEquals(24, usage.path("usage").path("completion_tokens").asInt());
        assertEquals(usage.path("usage").path("prompt_tokens").asInt() + 24,
                usage.path("usage").path("total_tokens").asInt());
        assertEquals(nonStreamText("Stream me a reply please", 3), content(chunks));
    }

    @Test
    void streamedTokensNeedingJsonEscapesArriveIntact() throws Exception {
        String tricky = "say \"quoted\" back\\slash ünïcödé 🎉 </script>";
        String streamed = content(chunks(stream(request(tricky, true, 5))));
        assertTrue(streamed.contains("\"quoted\" back\\slash ünïcödé 🎉"), streamed);
        assertEquals(nonStreamText(tricky, 5), streamed);

        String args = "{\"note\":\"a \\\"b\\\" \\\\ c\\n\",\"emoji\":\"🎉\"}";
        List<JsonNode> toolChunks = chunks(stream(request("x [[tool:note " + args + "]]", true, null)));
        StringBuilder joined = new StringBuilder();
        for (JsonNode chunk : toolChunks) {
            chunk.path("choices").path(0).path("delta").path("tool_calls")
                    .forEach(d -> joined.append(d.path("function").path("arguments").asText()));
        }
        assertEquals(JSON.readTree(args), JSON.readTree(joined.toString()));
    }

    @Test
    void replyIsDeterministicPerInputAndSeed() {
        String a = nonStreamText("Tell me something about rivers", 1);
        assertEquals(a, nonStreamText("Tell me something about rivers", 1));
        assertNotEquals(a, nonStreamText("Tell me something about rivers", 2));
        assertNotEquals(a, nonStreamText("Tell me something about lakes", 1));
    }

    @Test
    void toolMarkerStreamsArgumentsAcrossSeveralChunks() throws Exception {
        String args = "{\"city\":\"Paris\",\"unit\":\"celsius\"}";
        List<JsonNode> chunks = chunks(stream(request("Weather? [[tool:get_weather " + args + "]]", true, null)));

        List<JsonNode> toolDeltas = new ArrayList<>();
        for (JsonNode chunk : chunks) {
            chunk.path("choices").path(0).path("delta").path("tool_calls").forEach(toolDeltas::add);
        }
        JsonNode head = toolDeltas.getFirst();
        assertEquals(0, head.path("index").asInt());
        assertTrue(head.path("id").asText().startsWith("call_"));
        assertEquals("function", head.path("type").asText());
        assertEquals("get_weather", head.path("function").path("name").asText());
        StringBuilder reassembled = new StringBuilder();
        int argumentChunks = 0;
        for (JsonNode delta : toolDeltas.subList(1, toolDeltas.size())) {
            assertEquals(0, delta.path("index").asInt());
            reassembled.append(delta.path("function").path("arguments").asText());
            argumentChunks++;
        }
        assertTrue(argumentChunks >= 2, "arguments split across chunks: " + argumentChunks);
        assertEquals(args, reassembled.toString());
        assertEquals(JSON.readTree(args), JSON.readTree(reassembled.toString()));
        JsonNode finish = chunks.get(chunks.size() - 2);
        assertEquals("tool_calls", finish.path("choices").path(0).path("finish_reason").asText());
        assertEquals(argumentChunks, chunks.getLast().path("usage").path("completion_tokens").asInt());
    }

    @Test
    void twoToolMarkersGiveParallelToolCalls() throws Exception {
        String text = "Do both [[tool:lookup {\"q\":\"a\"}]] [[tool:unknown_tool {not valid json]]";
        given().contentType(ContentType.JSON).auth().oauth2("sim").body(request(text, false, null))
                .post("/v1/chat/completions")
                .then().statusCode(200)
                .body("choices[0].finish_reason", equalTo("tool_calls"))
                .body("choices[0].message.content", nullValue())
                .body("choices[0].message.tool_calls.size()", equalTo(2))
                .body("choices[0].message.tool_calls[0].function.name", equalTo("lookup"))
                .body("choices[0].message.tool_calls[0].function.arguments", equalTo("{\"q\":\"a\"}"))
                .body("choices[0].message.tool_calls[1].function.name", equalTo("unknown_tool"))
                .body("choices[0].message.tool_calls[1].function.arguments", equalTo("{not valid json"));

        List<JsonNode> chunks = chunks(stream(request(text, true, null)));
        List<Integer> headIndexes = new ArrayList<>();
        StringBuilder second = new StringBuilder();
        for (JsonNode chunk : chunks) {
            for (JsonNode delta : chunk.path("choices").path(0).path("delta").path("tool_calls")) {
                if (delta.has("id")) {
                    headIndexes.add(delta.path("index").asInt());
                } else if (delta.path("index").asInt() == 1) {
                    second.append(delta.path("function").path("arguments").asText());
                }
            }
        }
        assertEquals(List.of(0, 1), headIndexes);
        assertEquals("{not valid json", second.toString());
    }

    @Test
    void toolResultsAreQuotedInTheFollowUpReply() {
        ObjectNode body = JSON.createObjectNode().put("model", "gpt-4o-mini");
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "user").put("content", "Weather? [[tool:get_weather {\"city\":\"Oslo\"}]]");
        ObjectNode assistant = messages.addObject().put("role", "assistant");
        assistant.putNull("content");
        ObjectNode call = assistant.putArray("tool_calls").addObject().put("id", "call_1").put("type", "function");
        call.putObject("function").put("name", "get_weather").put("arguments", "{\"city\":\"Oslo\"}");
        messages.addObject().put("role", "tool").put("tool_call_id", "call_1").put("content", "sunny");

        given().contentType(ContentType.JSON).auth().oauth2("sim").body(body.toString())
                .post("/v1/chat/completions")
                .then().statusCode(200)
                .body("choices[0].finish_reason", equalTo("stop"))
                .body("choices[0].message.content", startsWith("Tool results: get_weather=sunny."));
    }

    @Test
    void rateLimitAnswers429WithOpenAiErrorAndRetryHint() {
        given().contentType(ContentType.JSON).auth().oauth2("sim").body(request("hi [[fail:429]]", false, null))
                .post("/v1/chat/completions")
                .then().statusCode(429)
                .header("retry-after-ms", "50")
                .body("error.type", equalTo("rate_limit_exceeded"))
                .body("error.message", notNullValue());
    }

    @Test
    void rateLimitOnceSucceedsOnRetryOfTheSameConversation() {
        String body = request("retry me " + UUID.randomUUID() + " [[fail:429-once]]", false, null);
        given().contentType(ContentType.JSON).auth().oauth2("sim").body(body).post("/v1/chat/completions")
                .then().statusCode(429).body("error.type", equalTo("rate_limit_exceeded"));
        given().contentType(ContentType.JSON).auth().oauth2("sim").body(body).post("/v1/chat/completions")
                .then().statusCode(200).body("choices[0].message.content", startsWith("Echo: retry me"));
    }

    @Test
    void serverErrorMarkerAndHeaderAnswer500() {
        given().contentType(ContentType.JSON).auth().oauth2("sim").body(request("boom [[fail:500]]", false, null))
                .post("/v1/chat/completions")
                .then().statusCode(500).body("error.type", equalTo("server_error"));
        given().contentType(ContentType.JSON).auth().oauth2("sim").header("x-sim-mode", "fail:500")
                .body(request("plain text", true, null))
                .post("/v1/chat/completions")
                .then().statusCode(500).body("error.type", equalTo("server_error"));
    }

    @Test
    void cutStreamEndsAbruptlyWithoutFinishOrDone() throws Exception {
        SseClient.Result result = stream(request("cut me [[fail:cut]]", true, null));

        assertEquals(SseClient.Ending.BROKEN, result.ending());
        assertTrue(result.data().stream().noneMatch("[DONE]"::equals));
        List<JsonNode> chunks = chunks(result);
        assertEquals(1 + ChatCompletionsRoute.TOKENS_BEFORE_CUT, chunks.size());
        assertTrue(chunks.stream().allMatch(c -> c.path("choices").path(0).path("finish_reason").isNull()));
    }

    @Test
    void malformedStreamCarriesAnUnparseableFrame() throws Exception {
        SseClient.Result result = stream(request("break it [[fail:malformed]]", true, null));

        assertTrue(result.data().contains("{not json"), result.data().toString());
        assertEquals("{not json", result.data().getLast());
        assertTrue(result.data().stream().noneMatch("[DONE]"::equals));
    }

    @Test
    void stalledStreamDeliversFirstTokensThenSilence() throws Exception {
        SseClient.Result result = SseClient.post(RestAssured.port, "/v1/chat/completions",
                request("hang [[fail:stall]]", true, null), Map.of(), 500);

        assertEquals(SseClient.Ending.TIMED_OUT, result.ending());
        assertEquals(1 + ChatCompletionsRoute.TOKENS_BEFORE_BREAK, result.data().size());
        assertTrue(result.elapsedMillis() >= 500, "waited for the read timeout: " + result.elapsedMillis());
    }

    @Test
    void pacingHeadersAndMarkersSlowTheStreamDown() throws Exception {
        SseClient.Result paced = SseClient.post(RestAssured.port, "/v1/chat/completions",
                request("pace [[tokens:5]]", true, null),
                Map.of("x-sim-ttft-ms", "200", "x-sim-token-delay-ms", "50"), 5_000);
        assertEquals(SseClient.Ending.COMPLETE, paced.ending());
        assertTrue(paced.elapsedMillis() >= 400, "200ms ttft + 4 x 50ms: " + paced.elapsedMillis());
        assertEquals(5 + 4, paced.data().size(), "role + 5 tokens + finish + usage + [DONE]");

        SseClient.Result slow = SseClient.post(RestAssured.port, "/v1/chat/completions",
                request("pace [[slow:100]] [[tokens:4]]", true, null), Map.of("x-sim-reply-tokens", "50"), 5_000);
        assertEquals(4 + 4, slow.data().size(), "marker wins over the reply-tokens header");
        assertTrue(slow.elapsedMillis() >= 300, "3 x 100ms: " + slow.elapsedMillis());
    }

    @Test
    void replyTokensHeaderSetsTheLength() {
        given().contentType(ContentType.JSON).auth().oauth2("sim").header("x-sim-reply-tokens", "3")
                .body(request("short please", false, null))
                .post("/v1/chat/completions")
                .then().statusCode(200).body("usage.completion_tokens", equalTo(3));
    }

    @Test
    void badRequestsAndMissingAuthAreRejectedInOpenAiFormat() {
        given().contentType(ContentType.JSON).auth().oauth2("sim").body("{not json")
                .post("/v1/chat/completions")
                .then().statusCode(400).body("error.type", equalTo("invalid_request_error"));
        given().contentType(ContentType.JSON).auth().oauth2("sim").body("{\"model\":\"gpt-4o-mini\"}")
                .post("/v1/chat/completions")
                .then().statusCode(400).body("error.message", equalTo("Missing required parameter: 'messages'."));
        given().contentType(ContentType.JSON).body(request("hi", false, null))
                .post("/v1/chat/completions")
                .then().statusCode(401).body("error.type", equalTo("invalid_request_error"));
    }
}
