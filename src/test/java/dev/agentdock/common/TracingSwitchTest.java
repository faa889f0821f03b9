package dev.agentdock.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TracingSwitchTest {

    @Test
    void tracingIsOffUntilAnOtlpEndpointIsConfigured() {
        assertThat(TracingSwitch.sdkDisabled(null, null)).isTrue();
        assertThat(TracingSwitch.sdkDisabled(null, "  ")).isTrue();
        assertThat(TracingSwitch.sdkDisabled(null, "http://collector:4317")).isFalse();
    }

    @Test
    void otelSdkDisabledDecidesWhenSet() {
        assertThat(TracingSwitch.sdkDisabled("true", "http://collector:4317")).isTrue();
        assertThat(TracingSwitch.sdkDisabled("false", null)).isFalse();
        assertThat(TracingSwitch.sdkDisabled(" TRUE ", null)).isTrue();
    }

    @Test
    void itAnswersOnlyForTheSdkSwitch() {
        TracingSwitch source = new TracingSwitch();
        assertThat(source.getPropertyNames()).containsExactly("quarkus.otel.sdk.disabled");
        assertThat(source.getValue("quarkus.otel.exporter.otlp.endpoint")).isNull();
        assertThat(source.getValue("quarkus.otel.sdk.disabled")).isIn("true", "false");
        assertThat(source.getOrdinal()).isLessThan(250);
    }
}
