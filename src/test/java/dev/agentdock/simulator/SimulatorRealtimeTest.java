package dev.agentdock.simulator;

import static dev.agentdock.RealtimeProbe.event;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdock.RealtimeProbe;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(SimulatorTestProfile.class)
class SimulatorRealtimeTest {

    @TestHTTPResource("/")
    URI base;

    private static String mintKey(boolean transcription) {
        Map<String, Object> session = transcription
                ? Map.of("type", "realtime", "instructions", "Be brief.",
                        "audio", Map.of("input", Map.of("transcription", Map.of("model", "gpt-4o-mini-transcribe"))))
                : Map.of("type", "realtime");
        return given().contentType(ContentType.JSON).auth().oauth2("sk-server").body(Map.of("session", session))
                .post("/v1/realtime/client_secrets").then().statusCode(200).extract().path("value");
    }

    private RealtimeProbe browser(String key) {
        return RealtimeProbe.open(base, "/v1/realtime?model=gpt-realtime", key);
    }

    private static void say(String callId, String utterance) {
        given().contentType(ContentType.JSON).auth().oauth2("sk-server").body(Map.of("utterance", utterance))
                .post("/v1/realtime/calls/" + callId + "/simulate").then().statusCode(200);
    }

    @Test
    void anSdpOfferIsAnsweredWithAValidSdpAndTheCallsLocation() {
        Response response = RealtimeProbe.sdp().auth().oauth2(mintKey(false)).body(RealtimeProbe.OFFER)
                .post("/v1/realtime/calls");
        response.then().statusCode(201).contentType("application/sdp")
                .header("Location", matchesPattern("/v1/realtime/calls/rtc_sim_[A-Za-z0-9]+"));
        String answer = response.asString();
        assertThat(answer).startsWith("v=0\r\n").endsWith("\r\n");
        List<String> lines = Arrays.asList(answer.split("\r\n"));
        assertThat(lines).allMatch(l -> l.matches("[a-z]=\\S.*"));
        assertThat(lines.stream().filter(l -> l.startsWith("m=")).toList())
                .containsExactly("m=audio 9 UDP/TLS/RTP/SAVPF 111", "m=application 9 UDP/DTLS/SCTP webrtc-datachannel");
        assertThat(lines).contains("a=group:BUNDLE 0 1", "a=mid:0", "a=mid:1", "a=setup:active")
                .anyMatch(l -> l.matches("a=fingerprint:sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}"))
                .anyMatch(l -> l.startsWith("a=ice-pwd:") && l.length() >= "a=ice-pwd:".length() + 22);

        // the server's variant: multipart with the session config, answered the same way
        given().auth().oauth2("sk-server").multiPart("sdp", RealtimeProbe.OFFER)
                .multiPart("session", "{\"type\":\"realtime\",\"instructions\":\"x\"}")
                .post("/v1/realtime/calls").then().statusCode(201)
                .header("Location", matchesPattern("/v1/realtime/calls/rtc_sim_[A-Za-z0-9]+"));
    }

    @Test
    void aBrowsersSocketWithTheKeyAsSubprotocolIsAnsweredWithTheRealtimeSubprotocol() throws Exception {
        // a browser cannot set Authorization on a WebSocket; it fails a handshake that names none of its subprotocols
        java.net.http.WebSocket socket = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
                .subprotocols("realtime", "openai-insecure-api-key." + mintKey(false))
                .buildAsync(URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/v1/realtime?model=gpt-realtime"),
                        new java.net.http.WebSocket.Listener() { })
                .get(10, java.util.concurrent.TimeUnit.SECONDS);
        try {
            assertThat(socket.getSubprotocol()).isEqualTo("realtime");
        } finally {
            socket.abort();
        }
    }

    @Test
    void badOffersAndMissingKeysAreRefused() {
        RealtimeProbe.sdp().auth().oauth2("sk-server").body("hello")
                .post("/v1/realtime/calls").then().statusCode(400).body("error.code", equalTo("invalid_offer"));
        RealtimeProbe.sdp().auth().oauth2("sk-server").body("v=0\r\ns=-\r\n")
                .post("/v1/realtime/calls").then().statusCode(400).body("error.code", equalTo("invalid_offer"));
        RealtimeProbe.sdp().body(RealtimeProbe.OFFER).post("/v1/realtime/calls").then().statusCode(401);
        given().contentType(ContentType.JSON).auth().oauth2("sk-server").body("{}")
                .post("/v1/realtime/calls").then().statusCode(400).body("error.code", equalTo("unsupported_content_type"));
        given().auth().oauth2("sk-server").multiPart("sdp", RealtimeProbe.OFFER).multiPart("session", "[1]")
                .post("/v1/realtime/calls").then().statusCode(400).body("error.message", equalTo(
                        "Invalid 'session': expected a JSON object."));
        given().contentType(ContentType.JSON).auth().oauth2("sk-server").body(Map.of("utterance", "hi"))
                .post("/v1/realtime/calls/rtc_sim_nope/simulate").then().statusCode(404);
    }

    @Test
    void theBrowserAndTheSidebandSeeOneCallAndBothCanDriveIt() {
        try (RealtimeProbe browser = browser(mintKey(true))) {
            String callId = browser.headers().get("x-sim-call-id");
            assertThat(callId).startsWith("rtc_sim_");
            assertThat(browser.awaitType("session.created").path("session").path("instructions").asText())
                    .isEqualTo("Be brief.");
            try (RealtimeProbe sideband = RealtimeProbe.open(base, "/v1/realtime?call_id=" + callId, "sk-server")) {
                sideband.send(event("session.update", Map.of("session", Map.of("type", "realtime",
                        "instructions", "You are the returns agent."))));
                for (RealtimeProbe side : List.of(browser, sideband)) {
                    side.awaitEvent("session.updated", e -> e.at("/session/instructions").asText()
                            .equals("You are the returns agent."));
                }

                say(callId, "what time is it [[tool:get_current_time {\"timezone\":\"Europe/Paris\"}]]");
                JsonNode call = null;
                for (RealtimeProbe side : List.of(browser, sideband)) {
                    assertThat(side.awaitType("conversation.item.input_audio_transcription.completed")
                            .path("transcript").asText()).startsWith("what time is it");
                    call = side.awaitType("response.function_call_arguments.done");
                    assertThat(call.path("name").asText()).isEqualTo("get_current_time");
                    assertThat(call.path("arguments").asText()).isEqualTo("{\"timezone\":\"Europe/Paris\"}");
                    side.awaitEvent("response.done", e -> e.at("/response/status").asText().equals("completed")
                            && e.at("/response/output/0/type").asText().equals("function_call"));
                }
                String callIdOfTool = call.path("call_id").asText();
                sideband.send(event("conversation.item.create", Map.of("item", Map.of("type", "function_call_output",
                        "call_id", callIdOfTool, "output", "09:30 in Paris"))));
                sideband.send(event("response.create", Map.of()));
                for (RealtimeProbe side : List.of(browser, sideband)) {
                    side.awaitEvent("conversation.item.added", e -> e.at("/item/type").asText().equals("function_call_output"));
                    assertThat(side.awaitType("response.output_audio_transcript.done").path("transcript").asText())
                            .isEqualTo("The tool answered: 09:30 in Paris");
                    side.awaitEvent("conversation.item.done", e -> e.at("/item/role").asText().equals("assistant")
                            && e.at("/item/content/0/transcript").asText().equals("The tool answered: 09:30 in Paris"));
                }
                String deltas = String.join("", browser.ofType("response.output_audio_transcript.delta").stream()
                        .map(d -> d.path("delta").asText()).toList());
                assertThat(deltas).isEqualTo("The tool answered: 09:30 in Paris");
            }
        }
    }

    @Test
    void aHandoffUtteranceCallsTheTransferTool() {
        try (RealtimeProbe browser = browser(mintKey(true))) {
            say(browser.headers().get("x-sim-call-id"), "I want to return my order [[handoff:returns]]");
            assertThat(browser.awaitType("response.function_call_arguments.done").path("name").asText())
                    .isEqualTo("transfer_to_returns");
        }
    }

    @Test
    void responseCancelCutsASlowAnswerShort() {
        try (RealtimeProbe browser = browser(mintKey(true))) {
            String callId = browser.headers().get("x-sim-call-id");
            browser.send(event("response.cancel", Map.of("event_id", "evt_c1")));
            JsonNode notActive = browser.awaitType("error");
            assertThat(notActive.at("/error/code").asText()).isEqualTo("response_cancel_not_active");
            assertThat(notActive.at("/error/event_id").asText()).isEqualTo("evt_c1");

            say(callId, "[[say:one two three four five six seven eight nine ten]] [[slow:300]]");
            browser.awaitType("response.output_audio_transcript.delta");
            browser.send(event("response.create", Map.of()));
            assertThat(browser.awaitEvent("error", e -> !e.at("/error/event_id").asText().equals("evt_c1"))
                    .at("/error/code").asText()).isEqualTo("conversation_already_has_active_response");
            browser.send(event("response.cancel", Map.of()));
            JsonNode done = browser.awaitType("response.done");
            assertThat(done.at("/response/status").asText()).isEqualTo("cancelled");
            assertThat(done.at("/response/status_details/reason").asText()).isEqualTo("client_cancelled");
            assertThat(done.at("/response/output/0/status").asText()).isEqualTo("incomplete");
            assertThat(browser.ofType("response.output_audio_transcript.delta")).hasSizeLessThan(10);
            assertThat(browser.ofType("response.output_audio_transcript.done")).isEmpty();
        }
    }

    @Test
    void badClientEventsGetAnErrorOnlyOnTheirSocket() {
        try (RealtimeProbe browser = browser(mintKey(false))) {
            String callId = browser.headers().get("x-sim-call-id");
            try (RealtimeProbe sideband = RealtimeProbe.open(base, "/v1/realtime?call_id=" + callId, "sk-server")) {
                sideband.send("{not json");
                sideband.send(event("conversation.item.create", Map.of("item", Map.of("type", "dance"))));
                sideband.send(event("session.update", Map.of("session", Map.of("type", "transcription"))));
                sideband.send(event("response.create", Map.of()));
                await().until(() -> sideband.ofType("error").size() == 3);
                assertThat(sideband.ofType("error").stream().map(e -> e.at("/error/code").asText()).toList())
                        .containsExactly("invalid_json", "invalid_value", "invalid_value");
                browser.awaitType("response.done");
                assertThat(browser.ofType("error")).isEmpty();
            }
        }
    }

    @Test
    void aSidebandNeedsAServerKeyAndAnOpenCall() {
        String key = mintKey(false);
        try (RealtimeProbe browser = browser(key)) {
            String callId = browser.headers().get("x-sim-call-id");
            assertThatThrownBy(() -> RealtimeProbe.open(base, "/v1/realtime?call_id=" + callId, key))
                    .hasMessageContaining("403");
            assertThatThrownBy(() -> RealtimeProbe.open(base, "/v1/realtime?call_id=rtc_sim_unknown", "sk-server"))
                    .hasMessageContaining("404");
            RealtimeProbe sideband = RealtimeProbe.open(base, "/v1/realtime?call_id=" + callId, "sk-server");
            given().auth().oauth2("sk-server").post("/v1/realtime/calls/" + callId + "/hangup").then().statusCode(200);
            await().until(() -> sideband.closed() && browser.closed());
            assertThatThrownBy(() -> RealtimeProbe.open(base, "/v1/realtime?call_id=" + callId, "sk-server"))
                    .hasMessageContaining("404");
        }
    }

    @Test
    void anEphemeralKeyNeverIssuedOrPastItsExpiryOpensNoCall() {
        assertThatThrownBy(() -> browser("ek_sim_never_issued")).hasMessageContaining("401");
        RealtimeProbe.sdp().auth().oauth2("ek_sim_never_issued").body(RealtimeProbe.OFFER)
                .post("/v1/realtime/calls").then().statusCode(401).body("error.code", org.hamcrest.Matchers.equalTo("invalid_api_key"));
        String key = mintKey(false);
        browser(key).close();

        RealtimeCalls calls = new RealtimeCalls(null, new com.fasterxml.jackson.databind.ObjectMapper());
        com.fasterxml.jackson.databind.node.ObjectNode session = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        long now = System.currentTimeMillis() / 1000;
        calls.rememberKey("ek_sim_fresh", session, now + 60);
        calls.rememberKey("ek_sim_stale", session, now - 1);
        org.assertj.core.api.Assertions.assertThat(calls.refusal("ek_sim_fresh")).isNull();
        org.assertj.core.api.Assertions.assertThat(calls.refusal("ek_sim_stale")).contains("expired");
        org.assertj.core.api.Assertions.assertThat(calls.refusal("ek_sim_other")).contains("Incorrect API key");
        org.assertj.core.api.Assertions.assertThat(calls.refusal("sk-server")).isNull();
    }

    @Test
    void anItemIsRetrievedAsItIsNowOnlyByTheSocketThatAsks() {
        try (RealtimeProbe browser = browser(mintKey(true))) {
            String callId = browser.headers().get("x-sim-call-id");
            try (RealtimeProbe sideband = RealtimeProbe.open(base, "/v1/realtime?call_id=" + callId, "sk-server")) {
                say(callId, "hello there");
                String itemId = browser.awaitType("conversation.item.input_audio_transcription.completed")
                        .path("item_id").asText();
                browser.send(RealtimeProbe.event("conversation.item.retrieve", Map.of("item_id", itemId)));
                JsonNode item = browser.awaitType("conversation.item.retrieved").path("item");
                org.assertj.core.api.Assertions.assertThat(item.path("id").asText()).isEqualTo(itemId);
                org.assertj.core.api.Assertions.assertThat(item.at("/content/0/transcript").asText()).isEqualTo("hello there");
                browser.send(RealtimeProbe.event("conversation.item.retrieve", Map.of("item_id", "item_nope")));
                org.assertj.core.api.Assertions.assertThat(browser.awaitType("error").at("/error/code").asText())
                        .isEqualTo("item_not_found");
                org.assertj.core.api.Assertions.assertThat(sideband.ofType("conversation.item.retrieved")).isEmpty();
            }
        }
    }
}
