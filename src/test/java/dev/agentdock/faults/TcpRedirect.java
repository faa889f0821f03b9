package dev.agentdock.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One address in front of a Redis, as a DNS name or a managed Redis's endpoint is: new connections go to whichever
 * server it points at now; connections made earlier stay where they were, as they do when a name moves. It can also
 * fall silent, as a network partition does: bytes are taken and go nowhere, nothing is refused or reset.
 */
public final class TcpRedirect implements AutoCloseable {

    private final ServerSocket listener;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile int target;
    private volatile boolean silent;

    public TcpRedirect(int target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("tcp-redirect").start(this::accept);
    }

    public String url() {
        return "redis://127.0.0.1:" + listener.getLocalPort();
    }

    /** From now on, new connections go to {@code port}. */
    void pointAt(int port) {
        target = port;
    }

    /** A partition: what either side sends is dropped; connections stay open, new ones are accepted and starve. */
    public void silence() {
        silent = true;
    }

    /** The partition heals: connections that lost bytes to it are closed (their peers reconnect), new ones flow. */
    public void heal() {
        silent = false;
        open.forEach(TcpRedirect::close);
        open.clear();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                open.add(client);
                open.add(server);
                pump(client, server);
                pump(server, client);
            } catch (IOException e) {
                // closed, or the target refused: the client sees its connection end
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread.ofVirtual().start(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (!silent) {
                        out.write(buffer, 0, n);
                    }
                }
            } catch (IOException e) {
                // one side went away
            } finally {
                close(from);
                close(to);
            }
        });
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closed already
        }
    }

    @Override
    public void close() throws IOException {
        silent = false;
        listener.close();
        open.forEach(TcpRedirect::close);
    }
}
