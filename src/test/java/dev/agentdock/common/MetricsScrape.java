package dev.agentdock.common;

import static io.restassured.RestAssured.given;

import dev.agentdock.it.ProdJarProfile;
import org.eclipse.microprofile.config.ConfigProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of {@code GET /q/metrics} of the management interface (Prometheus text format), parsed into samples,
 * so a test can compare a meter before and after what it did.
 */
public final class MetricsScrape {

    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\S+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final List<Sample> samples;

    private MetricsScrape(List<Sample> samples) {
        this.samples = samples;
    }

    public static MetricsScrape now() {
        String text = given().port(managementPort()).accept("text/plain").get("/q/metrics")
                .then().statusCode(200).extract().asString();
        return parse(text);
    }

    /**
     * The port of the app's management interface: in process the one Quarkus bound for {@code test-port=0}
     * (written back to the config once it listens), against the jar the one {@link ProdJarProfile} gave it.
     */
    public static int managementPort() {
        if (Boolean.getBoolean("agentdock.tests.against-jar")) {
            return ProdJarProfile.MANAGEMENT_PORT;
        }
        return ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
    }

    static MetricsScrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int exemplar = line.indexOf(" # ");
            Matcher m = LINE.matcher((exemplar > 0 ? line.substring(0, exemplar) : line).strip());
            if (!m.matches()) {
                throw new IllegalStateException("not a Prometheus sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
        }
        return new MetricsScrape(samples);
    }

    /** The samples of that name whose labels include all of {@code labels} (name, value, name, value…). */
    public List<Sample> samples(String name, String... labels) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        return samples.stream().filter(s -> s.name().equals(name))
                .filter(s -> s.labels().entrySet().containsAll(wanted.entrySet())).toList();
    }

    /** The sum of the matching samples; 0 when there is none (a meter not created yet). */
    public double value(String name, String... labels) {
        return samples(name, labels).stream().mapToDouble(Sample::value).sum();
    }

    public boolean has(String name, String... labels) {
        return !samples(name, labels).isEmpty();
    }

    /** How much the matching samples grew since {@code before}. */
    public double since(MetricsScrape before, String name, String... labels) {
        return value(name, labels) - before.value(name, labels);
    }
}
