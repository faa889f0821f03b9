package dev.agentdock.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentdock.tool.ToolCallContext;
import dev.agentdock.tool.ToolResult;
import dev.agentdock.tool.ToolRunner;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The bundled scenarios' tools, run the way agent turns run them: through the ToolRunner with JSON arguments. */
@QuarkusTest
class ScenarioToolsTest {

    @Inject
    ToolRunner tools;

    private ToolResult run(String name, String json) {
        return tools.run(name, json, null, new ToolCallContext("tester", UUID.randomUUID(), UUID.randomUUID()));
    }

    @Test
    void authenticationMatchesPhoneAndBirthDate() {
        ToolResult ok = run("authenticate_customer", "{\"phoneNumber\":\"+1 (206) 555-0142\",\"dateOfBirth\":\"1988-04-12\"}");
        assertThat(ok.ok()).isTrue();
        assertThat(ok.result()).contains("\"customer_id\":\"C-1001\"").contains("ORD-1001", "ORD-1002");
        ToolResult wrong = run("authenticate_customer", "{\"phoneNumber\":\"2065550142\",\"dateOfBirth\":\"1990-01-01\"}");
        assertThat(wrong.ok()).isFalse();
        assertThat(wrong.error()).isEqualTo("no customer matches that phone number and date of birth");
    }

    @Test
    void returnsFollowThePolicy() {
        assertThat(run("check_return_eligibility", "{\"orderId\":\"ord-1001\",\"sku\":\"TENT-2P\",\"reason\":\"too small\"}").result())
                .contains("\"eligible\":true").contains("\"refund_amount\":329.0");
        assertThat(run("check_return_eligibility", "{\"orderId\":\"ORD-1002\",\"sku\":\"JKT-RAIN-M\",\"reason\":\"changed my mind\"}").result())
                .contains("\"eligible\":false").contains("past the 30-day window");
        assertThat(run("check_return_eligibility", "{\"orderId\":\"ORD-1002\",\"sku\":\"JKT-RAIN-M\",\"reason\":\"the zipper is broken\"}").result())
                .contains("\"eligible\":true");
        assertThat(run("process_return", "{\"orderId\":\"ORD-1001\",\"sku\":\"TENT-2P\",\"reason\":\"too small\"}").result())
                .contains("\"rma_number\":\"RMA-1001-");
        ToolResult finalSale = run("process_return", "{\"orderId\":\"ORD-1003\",\"sku\":\"STOVE-CLR\",\"reason\":\"meh\"}");
        assertThat(finalSale.ok()).isFalse();
        assertThat(finalSale.error()).contains("final-sale");
        assertThat(run("lookup_order", "{\"orderId\":\"ORD-9999\"}").error()).isEqualTo("no order 'ORD-9999'; order ids look like ORD-1001");
    }

    @Test
    void catalogStoresEscalationAndSupervisorAnswer() {
        assertThat(run("lookup_product", "{\"query\":\"tent\"}").result()).contains("TENT-2P", "TENT-4P");
        assertThat(run("find_nearest_store", "{\"zipCode\":\"97210\"}").result()).contains("Portland");
        assertThat(run("find_nearest_store", "{\"zipCode\":\"abc\"}").error()).contains("5-digit");
        assertThat(run("escalate_to_human", "{\"reason\":\"wants a person\",\"summary\":\"return dispute\"}").result())
                .containsPattern("ticket HUM-\\d{6} \\(normal urgency\\)");
        assertThat(run("escalate_to_human", "{\"reason\":\"x\",\"summary\":\"y\",\"urgency\":\"panic\"}").ok()).isFalse();
        assertThat(run("get_next_response_from_supervisor", "{\"relevantContextFromLastUserMessage\":\"how much is roaming in Spain\"}").result())
                .contains("Travel Pass");
        assertThat(run("get_next_response_from_supervisor", "{\"relevantContextFromLastUserMessage\":\"what is my account balance\"}").result())
                .contains("phone number");
        assertThat(run("get_account_info", "{\"phoneNumber\":\"415-555-0187\"}").result()).contains("late fee");
    }
}
