package dev.agentdock.common;

import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Tracing is off unless an OTLP endpoint is configured: this config source answers
 * {@code quarkus.otel.sdk.disabled} from the standard OpenTelemetry variables — {@code OTEL_SDK_DISABLED} when
 * set, otherwise "disabled unless {@code OTEL_EXPORTER_OTLP_ENDPOINT} is set". Its ordinal is below
 * {@code application.properties}, so a profile there (tests) still decides, and {@code QUARKUS_OTEL_SDK_DISABLED}
 * still overrides everything. With the SDK disabled Quarkus installs no tracer at all: nothing is recorded and
 * nothing connects anywhere.
 */
public final class TracingSwitch implements ConfigSource {

    static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(SDK_DISABLED);
    }

    @Override
    public String getValue(String propertyName) {
        return SDK_DISABLED.equals(propertyName)
                ? Boolean.toString(sdkDisabled(System.getenv("OTEL_SDK_DISABLED"), System.getenv("OTEL_EXPORTER_OTLP_ENDPOINT")))
                : null;
    }

    static boolean sdkDisabled(String sdkDisabledVariable, String endpointVariable) {
        if (sdkDisabledVariable != null && !sdkDisabledVariable.isBlank()) {
            return Boolean.parseBoolean(sdkDisabledVariable.strip());
        }
        return endpointVariable == null || endpointVariable.isBlank();
    }

    @Override
    public int getOrdinal() {
        return 200; // below application.properties (250), above the extension defaults
    }

    @Override
    public String getName() {
        return "agentdock-tracing-switch";
    }
}
