package dev.agentdock.simulator;

import java.io.BufferedReader;
import java.io.IOException;
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
 * A deliberately dumb SSE reader over a raw connection with a read timeout: RestAssured would hide how a stream
 * ends (clean EOF, abrupt close, or silence), which is exactly what the failure modes are about.
 */
final class SseClient {

    enum Ending { COMPLETE, BROKEN, TIMED_OUT }

    /** {@code data} lines in order, {@code event} names in order, and how the stream ended. */
    record Result(int status, String contentType, List<String> data, List<String> events, Ending ending,
            long firstDataMillis, long elapsedMillis) {}

    private SseClient() {
    }

    static Result post(int port, String path, String json, Map<String, String> headers, int readTimeoutMs)
            throws IOException {
        HttpURLConnection conn = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL()
                .openConnection();
        conn.setRequestMethod("POST");
        conn.setDoOutput(true);
        conn.setReadTimeout(readTimeoutMs);
        conn.setRequestProperty("Content-Type", "application/json");
        conn.setRequestProperty("Authorization", "Bearer sim-test");
        headers.forEach(conn::setRequestProperty);
        long start = System.nanoTime();
        try (OutputStream out = conn.getOutputStream()) {
            out.write(json.getBytes(StandardCharsets.UTF_8));
        }
        List<String> data = new ArrayList<>();
        List<String> events = new ArrayList<>();
        long firstData = -1;
        Ending ending = Ending.COMPLETE;
        int status = conn.getResponseCode();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                status < 400 ? conn.getInputStream() : conn.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("data: ")) {
                    if (firstData < 0) {
                        firstData = (System.nanoTime() - start) / 1_000_000;
                    }
                    data.add(line.substring(6));
                } else if (line.startsWith("event: ")) {
                    events.add(line.substring(7));
                }
            }
        } catch (SocketTimeoutException e) {
            ending = Ending.TIMED_OUT;
        } catch (IOException e) {
            ending = Ending.BROKEN;
        } finally {
            conn.disconnect();
        }
        return new Result(status, conn.getContentType(), data, events, ending, firstData,
                (System.nanoTime() - start) / 1_000_000);
    }
}
