package dev.agentdock.faults;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL cluster of a test's own (initdb in a temporary directory, a free port), so a test can stop and
 * start a real database without touching the shared one. As root, the binaries run as {@code postgres}.
 */
public final class PostgresCluster implements AutoCloseable {

    private static final Path BIN = Path.of(System.getenv().getOrDefault("PG_BIN", "/usr/lib/postgresql/15/bin"));

    public final int port;
    private final Path dir;

    private PostgresCluster(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    public static PostgresCluster create() throws Exception {
        Path dir = Files.createTempDirectory("agentdock-pg-");
        if (isRoot()) {
            run(List.of("chown", "postgres", dir.toString()), false);
        }
        run(List.of(BIN.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "postgres",
                "-A", "trust", "--no-sync", "-E", "UTF8"), true);
        PostgresCluster cluster = new PostgresCluster(FaultPorts.postgres(), dir);
        cluster.start();
        return cluster;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public void start() throws Exception {
        run(List.of(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-t", "30",
                "-l", dir.resolve("log").toString(), "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1"
                        + " -c fsync=off -c synchronous_commit=off -c max_connections=200", "start"), true);
    }

    /** A fast shutdown: sessions are terminated, new connections refused, as in a failover or a restart. */
    public void stop() throws Exception {
        run(List.of(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-t", "30",
                "-m", "fast", "stop"), true);
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (Exception ignored) {
            // already stopped
        }
        try {
            run(List.of("rm", "-rf", dir.toString()), false);
        } catch (Exception ignored) {
            // a temporary directory
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(List<String> command, boolean asPostgres) throws Exception {
        List<String> full = new ArrayList<>();
        if (asPostgres && isRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", full) + " failed:\n" + new String(out, StandardCharsets.UTF_8));
        }
    }

    static int freePort() {
        return FaultPorts.free();
    }
}
