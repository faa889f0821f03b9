package dev.agentdock.faults;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ports of the fault suite's own servers. By default a free port the kernel picks (which another process may take
 * between the probe and the bind); {@code -Dagentdock.faults.pg-ports=15494,15495},
 * {@code -Dagentdock.faults.redis-ports=...} and {@code -Dagentdock.faults.instance-ports=...} hand out fixed ones
 * instead, in order, so runs sharing a machine can keep to ranges of their own. A list used up falls back to free
 * ports.
 */
final class FaultPorts {

    private static final Map<String, Deque<Integer>> GIVEN = new ConcurrentHashMap<>();

    private FaultPorts() {
    }

    /** The next PostgreSQL cluster port. */
    static int postgres() {
        return next("pg-ports");
    }

    /** The next redis-server port. */
    static int redis() {
        return next("redis-ports");
    }

    /** The next packaged instance's HTTP port. */
    static int instance() {
        return next("instance-ports");
    }

    private static int next(String kind) {
        Deque<Integer> ports = GIVEN.computeIfAbsent(kind, k -> parse(System.getProperty("agentdock.faults." + k, "")));
        synchronized (ports) {
            Integer port = ports.pollFirst();
            return port != null ? port : free();
        }
    }

    private static Deque<Integer> parse(String list) {
        Deque<Integer> ports = new ArrayDeque<>();
        Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(s -> {
            try {
                int port = Integer.parseInt(s);
                if (port < 1 || port > 65_535) {
                    throw new NumberFormatException();
                }
                ports.add(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("agentdock.faults.*-ports: '" + s + "' is not a port (1-65535)");
            }
        });
        return ports;
    }

    static int free() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
