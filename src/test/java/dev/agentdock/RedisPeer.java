package dev.agentdock;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Plays another instance of the service on the Redis they all share (the one the application's defaults name,
 * {@code REDIS_URL} or 127.0.0.1:6379): publishes on its channels and reads or removes its keys, the way a peer
 * would. It speaks RESP over a plain socket, so it needs no Quarkus runtime and works against the packaged jar too.
 */
public final class RedisPeer {

    private static final URI ADDRESS = URI.create(System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379"));

    private RedisPeer() {
    }

    public static void setex(String key, long seconds, String value) {
        command("SETEX", key, Long.toString(seconds), value);
    }

    /** Publishes and answers how many subscribers (instances) received the message. */
    public static long publish(String channel, String message) {
        return (Long) command("PUBLISH", channel, message);
    }

    public static long del(String key) {
        return (Long) command("DEL", key);
    }

    /** The entries of a stream between two ids (inclusive), each as its id followed by field, value, field… */
    @SuppressWarnings("unchecked")
    public static List<List<String>> xrange(String key, String start, String end) {
        List<List<String>> entries = new ArrayList<>();
        for (Object entry : (List<Object>) command("XRANGE", key, start, end)) {
            List<Object> parts = (List<Object>) entry;
            List<String> flat = new ArrayList<>();
            flat.add((String) parts.get(0));
            for (Object f : (List<Object>) parts.get(1)) {
                flat.add((String) f);
            }
            entries.add(flat);
        }
        return entries;
    }

    /**
     * Listens on a pub/sub channel as a peer instance does; answers once the subscription is in place, so whatever
     * is published after that is in {@link Listener#messages()}.
     */
    public static Listener subscribe(String channel) {
        try {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(ADDRESS.getHost(), ADDRESS.getPort() < 0 ? 6379 : ADDRESS.getPort()), 5_000);
            socket.getOutputStream().write(request("SUBSCRIBE", channel));
            socket.getOutputStream().flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            reply(in); // ["subscribe", channel, 1]
            Listener listener = new Listener(socket);
            Thread.ofVirtual().name("redis-peer-" + channel).start(() -> listener.read(in));
            return listener;
        } catch (IOException e) {
            throw new UncheckedIOException("Redis at " + ADDRESS + ": " + e.getMessage(), e);
        }
    }

    /** The messages a {@link #subscribe} received, in order. */
    public static final class Listener implements AutoCloseable {
        private final Socket socket;
        private final List<String> messages = new java.util.concurrent.CopyOnWriteArrayList<>();

        private Listener(Socket socket) {
            this.socket = socket;
        }

        public List<String> messages() {
            return List.copyOf(messages);
        }

        @SuppressWarnings("unchecked")
        private void read(InputStream in) {
            try {
                while (true) {
                    List<Object> push = (List<Object>) reply(in);
                    if (push.size() == 3 && "message".equals(push.get(0))) {
                        messages.add((String) push.get(2));
                    }
                }
            } catch (IOException | RuntimeException closed) {
                // the listener was closed, or Redis went away
            }
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    private static byte[] request(String... args) {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
            request.writeBytes(bytes);
            request.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        return request.toByteArray();
    }

    /** One command on its own connection; the reply as a String, Long, List or null. */
    public static Object command(String... args) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(ADDRESS.getHost(), ADDRESS.getPort() < 0 ? 6379 : ADDRESS.getPort()), 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request(args));
            out.flush();
            return reply(new BufferedInputStream(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException("Redis at " + ADDRESS + ": " + e.getMessage(), e);
        }
    }

    private static Object reply(InputStream in) throws IOException {
        int kind = in.read();
        String line = line(in);
        return switch (kind) {
            case '+' -> line;
            case '-' -> throw new IllegalStateException("Redis: " + line);
            case ':' -> Long.parseLong(line);
            case '$' -> {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    yield null;
                }
                byte[] bytes = in.readNBytes(length);
                line(in);
                yield new String(bytes, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    yield null;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(reply(in));
                }
                yield items;
            }
            default -> throw new IllegalStateException("unexpected Redis reply type " + kind + ": " + line);
        };
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\r') {
            if (b < 0) {
                throw new IOException("connection closed mid-reply");
            }
            buffer.write(b);
        }
        in.read(); // \n
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
