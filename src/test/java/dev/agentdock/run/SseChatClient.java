package dev.agentdock.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import dev.agentdock.SseLines;
import dev.agentdock.TestIdentity;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jboss.resteasy.reactive.client.SseEvent;

/**
 * A real SSE client for the tests (the Quarkus REST client's SSE support): frames are parsed by it, and this
 * class only decodes their JSON data.
 */
public final class SseChatClient {

    @Path("/api")
    public interface Api {
        @POST
        @Path("/agents/{agent}/chat")
        @Consumes(MediaType.APPLICATION_JSON)
        @Produces(MediaType.SERVER_SENT_EVENTS)
        Multi<SseEvent<String>> chat(@PathParam("agent") String agent, @HeaderParam("X-User-Id") String user,
                                     @QueryParam("on_disconnect") String onDisconnect,
                                     @QueryParam("multitask") String multitask, String body);

        @POST
        @Path("/sessions/{session}/retry")
        @Consumes(MediaType.APPLICATION_JSON)
        @Produces(MediaType.SERVER_SENT_EVENTS)
        Multi<SseEvent<String>> retryStream(@PathParam("session") String sessionId, @HeaderParam("X-User-Id") String user,
                                            String body);

        @GET
        @Path("/runs/{run}/stream")
        @Produces(MediaType.SERVER_SENT_EVENTS)
        Multi<SseEvent<String>> rejoin(@PathParam("run") String runId, @HeaderParam("X-User-Id") String user,
                                       @HeaderParam("Last-Event-ID") String lastEventId);
    }

    /** One received frame: its SSE id and its decoded event. */
    public record Frame(String id, JsonNode event) {
        public String type() {
            return event.path("type").asText();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient JDK = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Integer port;
    private Api api;

    /** A client of the application under test, on the (random) port Quarkus gives RestAssured once it runs. */
    public SseChatClient() {
        this.port = null;
    }

    public SseChatClient(int port) {
        this.port = port;
    }

    public synchronized Api api() {
        if (api == null) {
            int target = port != null ? port : io.restassured.RestAssured.port;
            api = QuarkusRestClientBuilder.newBuilder().baseUri(URI.create("http://localhost:" + target))
                    .readTimeout(60, java.util.concurrent.TimeUnit.SECONDS)
                    .register(dev.agentdock.TestIdentity.restClient()).build(Api.class);
        }
        return api;
    }

    public static String body(Map<String, Object> fields) {
        try {
            return JSON.writeValueAsString(fields);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Streams a turn to its end and returns every frame. */
    public List<Frame> chat(String agent, String user, Map<String, Object> body) {
        return chat(agent, user, body, null, null);
    }

    public List<Frame> chat(String agent, String user, Map<String, Object> body, String onDisconnect, String multitask) {
        return chat(agent, user, body, onDisconnect, multitask, frame -> { });
    }

    /** Streams a turn to its end, handing each frame to {@code onFrame} as it arrives, and returns every frame. */
    public List<Frame> chat(String agent, String user, Map<String, Object> body, String onDisconnect, String multitask,
                            Consumer<Frame> onFrame) {
        if (outsideQuarkus()) {
            return viaJdk("POST", chatPath(agent, onDisconnect, multitask), user, body(body), null, frame -> {
                onFrame.accept(frame);
                return true;
            });
        }
        List<Frame> frames = new ArrayList<>();
        decoded(api().chat(agent, user, onDisconnect, multitask, body(body))).invoke(onFrame)
                .subscribe().asStream().forEach(frames::add);
        return frames;
    }

    /** Reads the first {@code count} frames of a turn and hangs up, as a client that goes away does. */
    public List<Frame> firstFrames(String agent, String user, Map<String, Object> body, String onDisconnect, int count) {
        if (outsideQuarkus()) {
            List<Frame> frames = viaJdk("POST", chatPath(agent, onDisconnect, null), user, body(body), null,
                    new java.util.function.Predicate<>() {
                        private int seen;

                        @Override
                        public boolean test(Frame frame) {
                            return ++seen < count;
                        }
                    });
            return frames;
        }
        return decoded(api().chat(agent, user, onDisconnect, null, body(body)))
                .select().first(count).collect().asList().await().atMost(Duration.ofSeconds(20));
    }

    /** Re-joins a run's stream after {@code lastEventId} ({@code <run_id>:<seq>}; null: from the start) to its end. */
    public List<Frame> rejoin(String runId, String user, String lastEventId) {
        if (outsideQuarkus()) {
            return viaJdk("GET", "/api/runs/" + runId + "/stream", user, null, lastEventId, frame -> true);
        }
        return frames(api().rejoin(runId, user, lastEventId));
    }

    private static String chatPath(String agent, String onDisconnect, String multitask) {
        StringBuilder query = new StringBuilder();
        if (onDisconnect != null) {
            query.append("&on_disconnect=").append(onDisconnect);
        }
        if (multitask != null) {
            query.append("&multitask=").append(multitask);
        }
        return "/api/agents/" + agent + "/chat" + query.toString().replaceFirst("^&", "?");
    }

    /** Streams a retry to its end and returns every frame. */
    public List<Frame> retry(String sessionId, String user, String body) {
        if (outsideQuarkus()) {
            return viaJdk("POST", "/api/sessions/" + sessionId + "/retry", user, body, null, frame -> true);
        }
        return frames(api().retryStream(sessionId, user, body));
    }

    /**
     * Against the packaged jar ({@code @QuarkusIntegrationTest}) there is no Quarkus runtime in the test JVM, so
     * no REST client: the JDK's HTTP client and {@link SseLines} read the stream instead.
     */
    private static boolean outsideQuarkus() {
        return io.quarkus.arc.Arc.container() == null;
    }

    /**
     * One streamed request over HTTP/1.1 (as an EventSource sends it): frames are read while {@code more} says so,
     * then the connection is closed, which the server sees as the client going away when the stream had not ended.
     */
    private List<Frame> viaJdk(String method, String path, String user, String json, String lastEventId,
                               java.util.function.Predicate<Frame> more) {
        int target = port != null ? port : io.restassured.RestAssured.port;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + target + path))
                .timeout(Duration.ofSeconds(60)).header("Accept", "text/event-stream")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        if (TestIdentity.usesJwt()) {
            request.header("Authorization", TestIdentity.bearer(user));
        } else {
            request.header(TestIdentity.USER_HEADER, user);
        }
        try {
            HttpResponse<java.io.InputStream> response = JDK.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + response.statusCode() + ": "
                        + new String(response.body().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
            List<Frame> frames = new ArrayList<>();
            SseLines.readWhile(response.body(), e -> {
                Frame frame = new Frame(e.id(), e.data());
                frames.add(frame);
                return more.test(frame);
            });
            return frames;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static List<Frame> frames(Multi<SseEvent<String>> stream) {
        List<Frame> frames = new ArrayList<>();
        stream.map(SseChatClient::decode).subscribe().asStream().forEach(frames::add);
        return frames;
    }

    public static Multi<Frame> decoded(Multi<SseEvent<String>> stream) {
        return stream.map(SseChatClient::decode);
    }

    static Frame decode(SseEvent<String> e) {
        try {
            return new Frame(e.id(), JSON.readTree(e.data()));
        } catch (Exception ex) {
            throw new IllegalStateException("SSE data is not JSON: " + e.data(), ex);
        }
    }

    public static Duration timeout() {
        return Duration.ofSeconds(30);
    }
}
