package dev.agentdock.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentdock.TestIdentity;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A socket's first frame, sent the moment the handshake is answered, is read: many sockets opened at once on a
 * busy machine each get the pong of the one ping they send right after the 101, with no second try. The upgrade
 * check decides on a worker thread; it answers on the request's event loop so the upgrade and the connection's
 * handlers are in place before that frame is read (completed on the worker, the first frame raced them).
 *
 * <p>The race itself is too narrow to lose a frame on demand: 600 sockets (15 rounds of 40, three busy threads per
 * core) all got their pong with the check answering on the worker thread. So the test also asserts the cause for
 * every socket, through {@link UpgradeThreadProbe}: the check chain answered on the request's own event loop. That
 * part fails at once against a check that answers on the worker.
 */
@QuarkusTest
class SocketFirstFrameTest {

    /** Sockets opened at once in one round; each round's sockets are closed before the next opens. */
    private static final int SOCKETS = 40;
    /**
     * A frame is lost only if the thread completing the upgrade is preempted in a window of microseconds between
     * handing the request back to the event loop and registering the connection's handlers, so several rounds on a
     * machine oversubscribed with busy threads.
     */
    private static final int ROUNDS = 5;
    private static final int BURNERS_PER_CORE = 3;

    @TestHTTPResource("/")
    URI base;

    @Test
    void theFirstFrameOfEachOfManySocketsOpenedAtOnceIsAnswered() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        AtomicBoolean busy = new AtomicBoolean(true);
        List<Thread> burners = new ArrayList<>();
        for (int i = 0; i < Runtime.getRuntime().availableProcessors() * BURNERS_PER_CORE; i++) {
            burners.add(Thread.ofPlatform().daemon().start(() -> {
                long x = 0;
                while (busy.get()) {
                    x += System.nanoTime() % 7;
                }
                if (x == 42) {
                    System.out.print("");
                }
            }));
        }
        List<String> unanswered = new ArrayList<>();
        List<String> probes = new ArrayList<>();
        try {
            for (int round = 0; round < ROUNDS; round++) {
                unanswered.addAll(openRound(http, round, probes));
            }
        } finally {
            busy.set(false);
            for (Thread t : burners) {
                t.join();
            }
        }
        assertThat(unanswered).as("sockets of %d whose one ping sent on open got no pong", ROUNDS * SOCKETS).isEmpty();
        assertThat(probes).as("one probe record per socket").hasSize(ROUNDS * SOCKETS);
        assertThat(probes).as("where the upgrade check chain answered, per socket")
                .allSatisfy(probe -> assertThat(UpgradeThreadProbe.ANSWERED_ON.get(probe)).isEqualTo("request's event loop"));
    }

    /** Opens {@link #SOCKETS} sockets at once, each pinging on open; answers the replies that were no pong. */
    private List<String> openRound(HttpClient http, int round, List<String> probes) throws Exception {
        List<FirstPong> sockets = new ArrayList<>();
        List<String> unanswered = new ArrayList<>();
        try {
            List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
            for (int i = 0; i < SOCKETS; i++) {
                FirstPong listener = new FirstPong();
                sockets.add(listener);
                String user = "first-frame-" + UUID.randomUUID();
                String probe = UpgradeThreadProbe.PREFIX + UUID.randomUUID();
                probes.add(probe);
                WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(20))
                        .header(UpgradeThreadProbe.PROBE_HEADER, probe);
                if (TestIdentity.usesJwt()) {
                    builder.header("Authorization", TestIdentity.bearer(user));
                } else {
                    builder.header(TestIdentity.USER_HEADER, user);
                }
                opening.add(builder.buildAsync(URI.create(base.toString().replaceFirst("^http", "ws") + "ws/me"), listener));
            }
            CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            for (FirstPong socket : sockets) {
                socket.reply.completeOnTimeout("no reply within 15 s", 15, TimeUnit.SECONDS);
            }
            for (int i = 0; i < SOCKETS; i++) {
                String reply = sockets.get(i).reply.get();
                if (!reply.contains("\"pong\"")) {
                    unanswered.add("round " + round + " socket " + i + ": " + reply);
                }
            }
            return unanswered;
        } finally {
            for (FirstPong socket : sockets) {
                if (socket.socket != null) {
                    socket.socket.abort();
                }
            }
        }
    }

    /** Sends one ping as soon as the socket is open, and keeps the first text frame that answers it. */
    private static final class FirstPong implements WebSocket.Listener {
        final CompletableFuture<String> reply = new CompletableFuture<>();
        volatile WebSocket socket;
        private final StringBuilder text = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            socket = webSocket;
            webSocket.sendText("{\"type\":\"ping\"}", true);
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String frame = text.toString();
                text.setLength(0);
                if (frame.contains("\"pong\"")) {
                    reply.complete(frame);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            reply.complete("closed " + statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            reply.complete("error " + error);
        }
    }
}
