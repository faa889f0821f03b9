package dev.agentdock.common;

import dev.agentdock.TestIdentity;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A streaming POST read one SSE event at a time over a raw connection, so that a test can act between two events,
 * hang up in the middle, or see exactly how the stream ended (RestAssured would read it all and hide that).
 */
public final class SseConnection implements AutoCloseable {

    public enum Ending { OPEN, COMPLETE, BROKEN, TIMED_OUT }

    /** One event: its {@code event:} name and its {@code data:} lines joined by newlines (each null if absent). */
    public record Event(String name, String data) {
    }

    private final HttpURLConnection conn;
    private final BufferedReader reader;
    private final int status;
    private Ending ending = Ending.OPEN;

    private SseConnection(HttpURLConnection conn) throws IOException {
        this.conn = conn;
        this.status = conn.getResponseCode();
        InputStream in = status < 400 ? conn.getInputStream() : conn.getErrorStream();
        this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /** POSTs {@code json} to {@code path} on 127.0.0.1:{@code port}; the answer's head has arrived on return. */
    public static SseConnection post(int port, String path, String json, Map<String, String> headers,
                                     int readTimeoutMs) throws IOException {
        HttpURLConnection conn = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL()
                .openConnection();
        conn.setRequestMethod("POST");
        conn.setDoOutput(true);
        conn.setReadTimeout(readTimeoutMs);
        conn.setRequestProperty("Content-Type", "application/json");
        conn.setRequestProperty("Accept", "text/event-stream");
        TestIdentity.asHeaders(headers).forEach(conn::setRequestProperty);
        try (OutputStream out = conn.getOutputStream()) {
            out.write(json.getBytes(StandardCharsets.UTF_8));
        }
        return new SseConnection(conn);
    }

    public int status() {
        return status;
    }

    public String header(String name) {
        return conn.getHeaderField(name);
    }

    /** The next complete event, or null once the stream has ended (see {@link #ending()}). */
    public Event next() throws IOException {
        String name = null;
        StringBuilder data = null;
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    if (name != null || data != null) {
                        return new Event(name, data == null ? null : data.toString());
                    }
                } else if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
                }
            }
            ending = Ending.COMPLETE; // an event without its blank line at the end is not an event
        } catch (SocketTimeoutException e) {
            ending = Ending.TIMED_OUT;
        } catch (IOException e) {
            ending = Ending.BROKEN;
        }
        return null;
    }

    /** Every remaining event, until the stream ends. */
    public List<Event> rest() throws IOException {
        List<Event> events = new ArrayList<>();
        for (Event e = next(); e != null; e = next()) {
            events.add(e);
        }
        return events;
    }

    public Ending ending() {
        return ending;
    }

    /** Hangs up: the socket is closed whether or not the stream was read to its end. */
    @Override
    public void close() {
        conn.disconnect();
    }
}
