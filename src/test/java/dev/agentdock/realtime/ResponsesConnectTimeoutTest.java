package dev.agentdock.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentdock.common.CapturedLogs;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code /api/responses} when OpenAI's address takes no connection: the proxy gives up after
 * {@code agentdock.responses.connect-timeout} (2 s here) with a 503 problem, and counts the call out.
 */
@QuarkusTest
@TestProfile(ResponsesConnectTimeoutTest.Unaccepting.class)
class ResponsesConnectTimeoutTest {

    private static final long CONNECT_TIMEOUT_MS = 2_000;

    public static class Unaccepting implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(UnacceptingOpenAi.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("agentdock.responses.connect-timeout", CONNECT_TIMEOUT_MS + "ms");
        }
    }

    /**
     * An OpenAI address where a connection is never made: a listener that accepts nothing, its accept queue filled
     * up, so the kernel drops further connection attempts (SYNs) rather than refusing them and the client's connect
     * can only time out. Unlike a non-routable address, this needs no network and is not answered by a proxy.
     */
    public static class UnacceptingOpenAi implements QuarkusTestResourceLifecycleManager {

        private ServerSocket listener;
        private final List<Socket> queued = new ArrayList<>();

        @Override
        public Map<String, String> start() {
            try {
                listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
                for (int i = 0; i < 64; i++) {
                    Socket socket = new Socket();
                    try {
                        socket.connect(address, 300);
                        queued.add(socket);
                    } catch (SocketTimeoutException full) {
                        socket.close();
                        return Map.of("agentdock.openai.base-url", "http://127.0.0.1:" + listener.getLocalPort() + "/v1",
                                "agentdock.openai.api-key", FakeOpenAi.SERVER_KEY);
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("the unaccepting listener did not start", e);
            }
            throw new IllegalStateException("the accept queue never filled up, so a connect timeout cannot be staged");
        }

        @Override
        public void stop() {
            for (Socket socket : queued) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            try {
                if (listener != null) {
                    listener.close();
                }
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private CapturedLogs logs;

    @BeforeEach
    void captureLogs() {
        logs = CapturedLogs.install();
    }

    @AfterEach
    void keyNeverLogged() {
        logs.uninstall();
        assertThat(logs.all()).doesNotContain(FakeOpenAi.SERVER_KEY).doesNotContain("SERVERKEY");
    }

    @ParameterizedTest(name = "stream={0}")
    @ValueSource(booleans = {false, true})
    void noConnectionWithinTheConnectTimeoutIs503(boolean stream) {
        int before = ResponsesCalls.inFlight();
        long start = System.nanoTime();
        CompletableFuture<ExtractableResponse<Response>> call = ResponsesCalls.postInBackground(stream);
        await().atMost(Duration.ofMillis(CONNECT_TIMEOUT_MS - 500)).pollInterval(Duration.ofMillis(25))
                .until(() -> ResponsesCalls.inFlight() == before + 1);
        assertThat(call).as("still connecting").isNotDone();

        ExtractableResponse<Response> answer = call.join();
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        ResponsesCalls.assertUpstreamProblem(answer, 503,
                "OpenAI did not accept a connection within " + CONNECT_TIMEOUT_MS + " ms");
        assertThat(elapsedMs).as("answered when the connect timeout ran out, not before nor much later")
                .isBetween(CONNECT_TIMEOUT_MS - 50, CONNECT_TIMEOUT_MS + 1_500);
        // no connection was made, and the call is counted out with the failure
        await().atMost(Duration.ofSeconds(1)).until(() -> ResponsesCalls.inFlight() == before);
    }

}
