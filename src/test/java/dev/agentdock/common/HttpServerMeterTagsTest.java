package dev.agentdock.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The two registrations the management interface makes of one HTTP meter, one with a port tag and one without. */
class HttpServerMeterTagsTest {

    private static void registerBoth(PrometheusMeterRegistry registry) {
        registry.summary("http.server.bytes.read");
        registry.summary("http.server.bytes.read", Tags.of("server.port", "8080"));
    }

    @Test
    void prometheusRefusesTheSecondRegistrationWithoutTheFilter() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        List<String> refused = new ArrayList<>();
        registry.config().onMeterRegistrationFailed((id, reason) -> refused.add(id.getName() + ": " + reason));
        registerBoth(registry);
        assertThat(refused).singleElement().asString().contains("http.server.bytes.read").contains("tag keys");
    }

    @Test
    void withTheFilterBothAreScrapedUnderOneSetOfTagKeys() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new HttpServerMeterTags().samePortTagOnEveryHttpServerMeter());
        List<String> refused = new ArrayList<>();
        registry.config().onMeterRegistrationFailed((id, reason) -> refused.add(id.getName() + ": " + reason));
        registerBoth(registry);
        assertThat(refused).isEmpty();
        registry.counter("jvm.other.thing");

        String scrape = registry.scrape();
        assertThat(scrape).contains("http_server_bytes_read_count{server_port=\"0\",}")
                .contains("http_server_bytes_read_count{server_port=\"8080\",}")
                // meters outside http.server.* keep their tags as they were
                .contains("jvm_other_thing_total ");
    }

    @Test
    void aMeterThatHasAPortKeepsIt() {
        var filter = new HttpServerMeterTags().samePortTagOnEveryHttpServerMeter();
        var id = new io.micrometer.core.instrument.Meter.Id("http.server.requests", Tags.of("server.port", "9000"),
                null, null, io.micrometer.core.instrument.Meter.Type.TIMER);
        assertThat(filter.map(id).getTag("server.port")).isEqualTo("9000");
    }
}
