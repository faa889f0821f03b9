package dev.agentdock.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * There is no container engine here, so the images are checked as text: pinned base images, a non-root user, the
 * port the service listens on, a health check, the simulator left out of the build, files copied that exist.
 */
class DockerfileRulesTest {

    static final Path ROOT = Path.of("").toAbsolutePath();

    @Test
    void theJvmImageFollowsTheRules() throws IOException {
        assertThat(violations(read("Dockerfile.jvm"), servicePort(), flyChecksHealth())).isEmpty();
    }

    @Test
    void theNativeImageFollowsTheRules() throws IOException {
        assertThat(violations(read("Dockerfile.native"), servicePort(), flyChecksHealth())).isEmpty();
    }

    @Test
    void theJvmImageRunsTheJdkTheBenchmarksUse() throws IOException {
        List<String> bases = Dockerfile.parse(read("Dockerfile.jvm")).froms();
        assertThat(bases).isNotEmpty().allMatch(from -> from.matches("eclipse-temurin:25\\.\\d+\\.\\d+_\\d+-j(dk|re)-\\w+( .*)?"));
    }

    @Test
    void theJvmImageRunsTheCollectorTheBenchmarksUse() throws IOException {
        String image = collectors(read("Dockerfile.jvm"));
        assertThat(image).as("the collector Dockerfile.jvm names").isNotEmpty();
        assertThat(collectors(read("bench/run.sh"))).as("bench/run.sh's collector").isEqualTo(image);
        assertThat(collectors("ENV JAVA_OPTS=\"-XX:+UseZGC\"")).isNotEqualTo(collectors("BENCH=(-XX:+UseG1GC)"));
    }

    /** Every {@code -XX:+Use<name>GC} a file names, in order: one collector for the image and the benchmark. */
    static String collectors(String text) {
        Matcher gc = Pattern.compile("-XX:\\+Use(\\w+)GC").matcher(text);
        List<String> names = new ArrayList<>();
        while (gc.find()) {
            names.add(gc.group(1));
        }
        return String.join(",", names);
    }

    @Test
    void flyBuildsTheJvmImageAndProbesReadinessOnTheSamePort() throws IOException {
        String fly = read("fly.toml");
        assertThat(fly).contains("dockerfile = \"Dockerfile.jvm\"").contains("internal_port = " + servicePort());
    }

    @Test
    void flyScrapesMetricsOnTheManagementPortNotThePublicOne() throws IOException {
        Matcher management = Pattern.compile("(?m)^quarkus\\.management\\.port=\\$\\{MANAGEMENT_PORT:(\\d+)}")
                .matcher(read("src/main/resources/application.properties"));
        assertThat(management.find()).as("quarkus.management.port in application.properties").isTrue();
        Matcher metrics = Pattern.compile("(?s)\\[metrics]\\s*port = (\\d+)\\s*path = \"([^\"]+)\"").matcher(read("fly.toml"));
        assertThat(metrics.find()).as("a [metrics] section in fly.toml").isTrue();
        assertThat(Integer.parseInt(metrics.group(1))).isEqualTo(Integer.parseInt(management.group(1)))
                .isNotEqualTo(servicePort());
        assertThat(metrics.group(2)).isEqualTo("/q/metrics");
    }

    @Test
    void aBadDockerfileBreaksEveryRule() {
        String bad = """
                FROM eclipse-temurin AS build
                COPY no-such-file /x
                RUN ./mvnw -B package -DskipTests
                FROM ubuntu:latest
                EXPOSE 9090
                USER root
                ENTRYPOINT ["java"]
                """;
        assertThat(violations(bad, 8080, false)).hasSize(7).anyMatch(v -> v.contains("eclipse-temurin"))
                .anyMatch(v -> v.contains("ubuntu:latest")).anyMatch(v -> v.contains("root"))
                .anyMatch(v -> v.contains("9090")).anyMatch(v -> v.contains("HEALTHCHECK"))
                .anyMatch(v -> v.contains("simulator")).anyMatch(v -> v.contains("no-such-file"));
    }

    static List<String> violations(String text, int port, boolean flyChecksHealth) {
        Dockerfile file = Dockerfile.parse(text);
        List<String> problems = new ArrayList<>();
        for (String from : file.froms()) {
            String image = from.split("\\s+")[0];
            boolean digest = image.contains("@sha256:");
            String tag = image.contains(":") ? image.substring(image.lastIndexOf(':') + 1) : "";
            if (!digest && (tag.isEmpty() || tag.equals("latest") || !tag.matches(".*\\d.*"))) {
                problems.add("base image not pinned to a version: " + image);
            }
        }
        List<String> last = file.lastStage();
        String user = lastValue(last, "USER");
        if (user == null || user.equals("root") || user.equals("0") || user.startsWith("0:")) {
            problems.add("the runtime stage runs as root (USER " + user + ")");
        }
        String expose = lastValue(last, "EXPOSE");
        if (expose == null || !expose.split("[\\s/]")[0].equals(String.valueOf(port))) {
            problems.add("EXPOSE " + expose + " is not the service's port " + port);
        }
        if (lastValue(last, "HEALTHCHECK") == null && !flyChecksHealth) {
            problems.add("no HEALTHCHECK and no Fly health check on /q/health");
        }
        for (String run : file.values("RUN")) {
            if (run.contains("mvnw") && run.contains("package") && !run.contains("-Dagentdock.simulator.enabled=false")) {
                problems.add("a package build keeps the simulator in: " + run);
            }
        }
        for (String copy : file.values("COPY")) {
            if (copy.contains("--from=")) {
                continue;
            }
            String[] parts = copy.replaceAll("--\\S+", "").trim().split("\\s+");
            for (int i = 0; i < parts.length - 1; i++) {
                if (!Files.exists(ROOT.resolve(parts[i]))) {
                    problems.add("COPY of a file the repository does not have: " + parts[i]);
                }
            }
        }
        return problems;
    }

    private static String lastValue(List<String> instructions, String keyword) {
        String value = null;
        for (String line : instructions) {
            if (line.regionMatches(true, 0, keyword + " ", 0, keyword.length() + 1)) {
                value = line.substring(keyword.length() + 1).trim();
            }
        }
        return value;
    }

    static int servicePort() throws IOException {
        Matcher port = Pattern.compile("(?m)^quarkus\\.http\\.port=\\$\\{PORT:(\\d+)}")
                .matcher(read("src/main/resources/application.properties"));
        assertThat(port.find()).as("quarkus.http.port in application.properties").isTrue();
        return Integer.parseInt(port.group(1));
    }

    static boolean flyChecksHealth() throws IOException {
        return read("fly.toml").matches("(?s).*\\[\\[http_service\\.checks]].*path = \"/q/health/ready\".*");
    }

    static String read(String path) throws IOException {
        return Files.readString(ROOT.resolve(path));
    }

    /** Instructions joined across line continuations, comments dropped. */
    record Dockerfile(List<String> instructions) {

        static Dockerfile parse(String text) {
            List<String> instructions = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String line : text.split("\n")) {
                String trimmed = line.strip();
                if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                    continue;
                }
                boolean continues = trimmed.endsWith("\\");
                current.append(continues ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
                if (!continues) {
                    instructions.add(current.toString().trim().replaceAll("\\s+", " "));
                    current.setLength(0);
                }
            }
            return new Dockerfile(instructions);
        }

        List<String> values(String keyword) {
            return instructions.stream().filter(i -> i.regionMatches(true, 0, keyword + " ", 0, keyword.length() + 1))
                    .map(i -> i.substring(keyword.length() + 1).trim()).toList();
        }

        List<String> froms() {
            return values("FROM");
        }

        List<String> lastStage() {
            int start = 0;
            for (int i = 0; i < instructions.size(); i++) {
                if (instructions.get(i).regionMatches(true, 0, "FROM ", 0, 5)) {
                    start = i;
                }
            }
            return instructions.subList(start, instructions.size());
        }
    }
}
