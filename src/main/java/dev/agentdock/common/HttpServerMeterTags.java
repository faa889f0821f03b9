package dev.agentdock.common;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * One set of tag keys for every {@code http.server.*} meter. With the management interface on, Quarkus registers
 * some HTTP server meters with a {@code server.port} tag and some without, and Prometheus refuses two registrations
 * of one name whose tag keys differ (the prod jar then fails at its first scrape or start). A meter without the tag
 * gets {@code server.port="0"}: not a port any server listens on, so it reads as "not told".
 */
public class HttpServerMeterTags {

    static final String PORT_TAG = "server.port";
    static final String UNKNOWN_PORT = "0";

    @Produces
    @Singleton
    MeterFilter samePortTagOnEveryHttpServerMeter() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (id.getName().startsWith("http.server.") && id.getTag(PORT_TAG) == null) {
                    return id.withTag(io.micrometer.core.instrument.Tag.of(PORT_TAG, UNKNOWN_PORT));
                }
                return id;
            }
        };
    }
}
