package dev.agentdock.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentdock.common.OpenAiTarget;
import io.quarkus.runtime.LaunchMode;
import org.junit.jupiter.api.Test;

class SimulatorGateTest {

    @Test
    void withARealKeyTheSimulatorIsNotThere() {
        OpenAiTarget openAi = new OpenAiTarget("https://api.openai.com/v1", "sk-real", false);
        assertThat(SimulatorGate.reachOf(openAi, LaunchMode.NORMAL)).isEqualTo(SimulatorGate.Reach.NOBODY);
        assertThat(SimulatorGate.reachOf(openAi, LaunchMode.DEVELOPMENT)).isEqualTo(SimulatorGate.Reach.NOBODY);
    }

    @Test
    void withoutAKeyTheProdJarServesItToThisMachineOnly() {
        OpenAiTarget simulated = new OpenAiTarget("http://127.0.0.1:8080/v1", "sk-simulator", true);
        assertThat(SimulatorGate.reachOf(simulated, LaunchMode.NORMAL)).isEqualTo(SimulatorGate.Reach.LOOPBACK);
        assertThat(SimulatorGate.reachOf(simulated, LaunchMode.DEVELOPMENT)).isEqualTo(SimulatorGate.Reach.ANYONE);
        // a key with OpenAI pointed at this machine (tests playing OpenAI with the simulator) keeps it reachable
        OpenAiTarget local = new OpenAiTarget("http://127.0.0.1:9999/v1", "sk-test", false);
        assertThat(SimulatorGate.reachOf(local, LaunchMode.NORMAL)).isEqualTo(SimulatorGate.Reach.LOOPBACK);
    }

    @Test
    void loopbackIsRecognisedInEveryNotation() {
        assertThat(SimulatorGate.isLoopback("127.0.0.1")).isTrue();
        assertThat(SimulatorGate.isLoopback("[::1]")).isTrue();
        assertThat(SimulatorGate.isLoopback("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(SimulatorGate.isLoopback("localhost")).isTrue();
        assertThat(SimulatorGate.isLoopback("10.0.0.7")).isFalse();
        assertThat(SimulatorGate.isLoopback("127.evil.example")).isFalse();
        assertThat(SimulatorGate.isLoopback(null)).isFalse();
    }
}
