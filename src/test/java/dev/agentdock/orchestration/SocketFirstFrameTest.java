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
 */
@QuarkusTest
class SocketFirstFrameTest {

    private static final int SOCKETS = 40;

    @TestHTTPResource("/")
    URI base;

    @Test
    void theFirstFrameOfEachOfManySocketsOpenedAtOnceIsAnswered() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        AtomicBoolean busy = new AtomicBoolean(true);
        List<Thread> burners = new ArrayList<>();
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
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
        List<FirstPong> sockets = new ArrayList<>();
        try {
            List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
            for (int i = 0; i < SOCKETS; i++) {
                FirstPong listener = new FirstPong();
                sockets.add(listener);
                String user = "first-frame-" + UUID.randomUUID();
                WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(20));
                if (TestIdentity.usesJwt()) {
                    builder.header("Authorization", TestIdentity.bearer(user));
                } else {
                    builder.header(TestIdentity.USER_HEADER, user);
                }
                opening.add(builder.buildAsync(URI.create(base.toString().replaceFirst("^http", "ws") + "ws/me"), listener));
            }
            CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            List<String> answered = new ArrayList<>();
            for (FirstPong socket : sockets) {
                answered.add(socket.reply.get(30, TimeUnit.SECONDS));
            }
            assertThat(answered).as("the one ping each socket sent on open").allMatch(t -> t.contains("\"pong\""));
        } finally {
            busy.set(false);
            for (Thread t : burners) {
                t.join();
            }
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
