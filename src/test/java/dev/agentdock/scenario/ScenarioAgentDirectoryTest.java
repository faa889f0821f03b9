package dev.agentdock.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentdock.agent.AgentDirectory;
import dev.agentdock.agent.AgentSpec;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ScenarioAgentDirectoryTest {

    @Inject
    AgentDirectory agents;

    @Test
    void findsAScenarioAgentWithItsToolsAndApprovals() {
        AgentSpec returns = agents.find("returns").orElseThrow();
        assertThat(returns.instructions()).contains("You handle orders, returns and refunds");
        assertThat(returns.model()).isEqualTo("gpt-4o-mini");
        assertThat(returns.tools()).containsExactly("lookup_order", "check_return_eligibility", "process_return", "escalate_to_human");
        assertThat(returns.approvalTools()).containsExactly("process_return");
        assertThat(agents.find("supervisor").orElseThrow().model()).isEqualTo("gpt-4o");
    }

    @Test
    void fallsBackToTheConfiguredDefaultAgent() {
        AgentSpec assistant = agents.find("assistant").orElseThrow();
        assertThat(assistant.model()).isEqualTo("gpt-4o-mini");
        // the test profile gives the default agent two test-only tools, one of them needing approval
        assertThat(assistant.tools()).containsExactly("echo", "get_current_time", "transfer_funds", "slow_lookup");
        assertThat(assistant.instructions()).contains("helpful assistant");
        assertThat(assistant.approvalTools()).containsExactly("transfer_funds");
    }

    @Test
    void anUnknownAgentIsEmpty() {
        assertThat(agents.find("nobody")).isEmpty();
        assertThat(agents.find(null)).isEmpty();
    }
}
