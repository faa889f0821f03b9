package dev.agentdock.orchestration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The Redis probe runs on a Vert.x timer: sub-second intervals are taken as given, below 1 ms is refused at start. */
class ProbeIntervalTest {

    @Test
    void subSecondIntervalsAreKept() {
        assertThat(SessionEventBus.probeIntervalMillis(Duration.ofMillis(200))).isEqualTo(200);
        assertThat(SessionEventBus.probeIntervalMillis(Duration.ofMillis(1))).isEqualTo(1);
    }

    @Test
    void anIntervalBelowOneMillisecondIsRefusedWithTheSettingsName() {
        for (Duration tooShort : new Duration[] {Duration.ZERO, Duration.ofNanos(999_999), Duration.ofMillis(-5)}) {
            assertThatThrownBy(() -> SessionEventBus.probeIntervalMillis(tooShort))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("agentdock.orchestration.probe-interval must be at least 1ms");
        }
    }
}
