package dev.agentdock.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One packaged instance (target/quarkus-app) of the fault suite, on a fixed port so it can be killed and started
 * again as the same instance (as a Fly machine is), with kill -9 and SIGTERM at hand.
 */
final class Instance implements AutoCloseable {

    final String name;
    final int port;
    private final Map<String, String> env;
    private Process process;
    private Path log;

    private Instance(String name, int port, Map<String, String> env) {
        this.name = name;
        this.port = port;
        this.env = env;
    }

    static Instance start(String name, Map<String, String> env) throws Exception {
        Instance instance = new Instance(name, FaultPorts.instance(), env);
        instance.startAgain();
        return instance;
    }

    synchronized void startAgain() throws Exception {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("package the application first: " + jar.toAbsolutePath() + " is missing");
        }
        log = Files.createTempFile("agentdock-fault-" + name + "-", ".log");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("QUARKUS_PROFILE", "dev");
        builder.environment().put("PORT", String.valueOf(port));
        // /q/metrics' port: any free one, so instances side by side (and other jars on this machine) never clash
        builder.environment().put("MANAGEMENT_PORT", "0");
        builder.environment().put("AGENTDOCK_INSTANCE_ID", name);
        builder.environment().remove("OPENAI_API_KEY");
        builder.environment().putAll(env);
        process = builder.start();
        awaitReady(Duration.ofSeconds(90));
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** SIGTERM, as a deploy sends it. */
    void term() {
        process.destroy();
    }

    /** kill -9: no drain, no last write. */
    /** The instance's threads (jcmd Thread.print), to tell what a socket that never answered waited for. */
    String threadDump() {
        try {
            Process jcmd = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(process.pid()), "Thread.print")).redirectErrorStream(true).start();
            String out = new String(jcmd.getInputStream().readAllBytes());
            jcmd.waitFor(20, TimeUnit.SECONDS);
            return out;
        } catch (Exception e) {
            return "no thread dump: " + e;
        }
    }

    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Waits for the process to exit; answers whether it did within the limit. */
    boolean awaitExit(Duration limit) throws InterruptedException {
        return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    int readiness() {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri("/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private void awaitReady(Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited during start:\n" + log());
            }
            if (readiness() == 200) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + " not ready in " + limit + ":\n" + log());
    }

    @Override
    public void close() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
