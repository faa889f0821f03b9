package dev.agentdock.faults;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server of a test's own on a free port, which the test may kill and start again on the same port: a
 * primary, a replica of one, or a Sentinel watching one.
 */
public final class RedisServer implements AutoCloseable {

    public final int port;
    private final Path dir;
    private Process process;
    /** What follows the port on the command line: {@code --replicaof}, or the Sentinel's configuration. */
    private volatile List<String> role = List.of("--save", "", "--appendonly", "no");

    private RedisServer(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    public static RedisServer start() throws Exception {
        RedisServer server = new RedisServer(FaultPorts.redis(), Files.createTempDirectory("agentdock-redis-"));
        server.startAgain();
        return server;
    }

    /** A replica of {@code primary}, started and in sync (its first full copy done). */
    public static RedisServer replicaOf(RedisServer primary) throws Exception {
        RedisServer server = new RedisServer(FaultPorts.redis(), Files.createTempDirectory("agentdock-redis-"));
        server.restartAsReplicaOf(primary);
        return server;
    }

    /**
     * A Sentinel (quorum 1, as one watcher can be) that calls {@code primary} down after 1 s of silence and fails over
     * to its replica.
     */
    public static RedisServer sentinelOf(String masterName, RedisServer primary) throws Exception {
        RedisServer server = new RedisServer(FaultPorts.redis(), Files.createTempDirectory("agentdock-sentinel-"));
        Path conf = server.dir.resolve("sentinel.conf");
        Files.writeString(conf, String.join("\n",
                "sentinel monitor " + masterName + " 127.0.0.1 " + primary.port + " 1",
                "sentinel down-after-milliseconds " + masterName + " 1000",
                "sentinel failover-timeout " + masterName + " 10000",
                "sentinel parallel-syncs " + masterName + " 1", ""));
        server.role = List.of(conf.toString(), "--sentinel");
        server.startAgain();
        return server;
    }

    /** Stops and starts again as a replica of {@code primary} (an old primary coming back after a failover). */
    public void restartAsReplicaOf(RedisServer primary) throws Exception {
        kill();
        role = List.of("--save", "", "--appendonly", "no", "--replicaof", "127.0.0.1", String.valueOf(primary.port));
        startAgain();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!cli("INFO", "replication").contains("master_link_status:up")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("replica on " + port + " never synced with " + primary.port);
            }
            Thread.sleep(50);
        }
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts (again) on the same port; answers once it accepts connections. */
    public synchronized void startAgain() throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("redis-server"));
        boolean sentinel = role.contains("--sentinel");
        if (sentinel) {
            command.addAll(role); // the configuration file comes first
        }
        command.addAll(List.of("--port", String.valueOf(port), "--bind", "127.0.0.1", "--dir", dir.toString()));
        if (!sentinel) {
            command.addAll(role);
        }
        process = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("redis-server did not start on " + port + ": " + Files.readString(dir.resolve("redis.log")));
    }

    /** kill -9: connections drop, whatever was in memory is gone. */
    public synchronized void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            process = null;
        }
    }

    /** A command through redis-cli (as another instance would send it); answers its output. */
    public String cli(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("redis-cli", "-p", String.valueOf(port)));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    @Override
    public void close() throws Exception {
        kill();
    }
}
