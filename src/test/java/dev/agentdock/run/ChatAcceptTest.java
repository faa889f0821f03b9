package dev.agentdock.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What {@code POST /api/agents/{agent}/chat} answers for each Accept, as the README says: SSE only when the caller
 * asks for {@code text/event-stream} (first or alone); JSON for no Accept, {@code *}{@code /*} and
 * {@code application/json}. (The JDK client sends no Accept unless told.)
 */
@QuarkusTest
class ChatAcceptTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/api/agents/assistant/chat")
    URI chat;

    private HttpResponse<String> post(String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(chat).header("Content-Type", "application/json")
                .header("X-User-Id", "accept-" + UUID.randomUUID())
                .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"hi [[tokens:3]]\"}"));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertJsonOutcome(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("status").asText()).isEqualTo("completed");
        assertThat(body.path("output_text").asText()).isNotBlank();
    }

    @Test
    void noAcceptHeaderWaitsAndReturnsJson() throws Exception {
        assertJsonOutcome(post(null));
    }

    @Test
    void anyTypeWaitsAndReturnsJson() throws Exception {
        assertJsonOutcome(post("*/*"));
        assertJsonOutcome(post("application/json, text/event-stream"));
    }

    @Test
    void eventStreamFirstStreams() throws Exception {
        for (String accept : new String[] {"text/event-stream", "text/event-stream, */*"}) {
            HttpResponse<String> response = post(accept);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
            assertThat(response.body()).contains("\"type\":\"run_started\"").contains("\"type\":\"run_completed\"");
        }
    }
}
