package dev.agentdock.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentdock.TestCustomers;
import dev.agentdock.run.SseChatClient;
import dev.agentdock.tool.ToolCallContext;
import dev.agentdock.tool.ToolResult;
import dev.agentdock.tool.ToolRunner;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The bundled scenarios' tools, run the way agent turns run them: through the ToolRunner with JSON arguments, in a
 * session (customer data is that of the session's verified caller only).
 */
@QuarkusTest
class ScenarioToolsTest {

    private static final String MAYA = "{\"phoneNumber\":\"+1 (206) 555-0142\",\"dateOfBirth\":\"1988-04-12\"}";
    private static final String DANIEL = "{\"phoneNumber\":\"" + TestCustomers.DANIEL_PHONE + "\",\"dateOfBirth\":\""
            + TestCustomers.DANIEL_BIRTH + "\"}";
    private static final String WRONG = "{\"phoneNumber\":\"2065550142\",\"dateOfBirth\":\"1990-01-01\"}";

    @Inject
    ToolRunner tools;

    /** The session the tools run in (a real one: its verified customer is kept on its row). */
    private UUID session;

    @org.junit.jupiter.api.BeforeEach
    void freshSession() {
        session = newSession();
    }

    private static UUID newSession() {
        return UUID.fromString(new SseChatClient().chat("assistant", "tester", Map.of("message", "hello"))
                .getLast().event().get("session_id").asText());
    }

    private ToolResult run(String name, String json) {
        return run(session, name, json);
    }

    private ToolResult run(UUID sessionId, String name, String json) {
        return tools.run(name, json, null, new ToolCallContext("tester", sessionId, UUID.randomUUID()));
    }

    private void verifiedAs(String identity) {
        assertThat(run("authenticate_customer", identity).ok()).isTrue();
    }

    @Test
    void authenticationMatchesPhoneAndBirthDate() {
        ToolResult wrong = run("authenticate_customer", WRONG);
        assertThat(wrong.ok()).isFalse();
        assertThat(wrong.error()).isEqualTo("no customer matches that phone number and date of birth (4 attempts left)");
        ToolResult ok = run("authenticate_customer", MAYA);
        assertThat(ok.ok()).isTrue();
        assertThat(ok.result()).contains("\"customer_id\":\"C-1001\"").contains("ORD-1001", "ORD-1002");
        assertThat(run("lookup_order", "{\"orderId\":\"ORD-1001\"}").result()).contains("TENT-2P");
    }

    @Test
    void customerDataIsRefusedUntilTheSessionsCallerIsVerified() {
        List<String[]> calls = List.of(
                new String[] {"lookup_order", "{\"orderId\":\"ORD-1001\"}"},
                new String[] {"check_return_eligibility", "{\"orderId\":\"ORD-1001\",\"sku\":\"TENT-2P\",\"reason\":\"too small\"}"},
                new String[] {"process_return", "{\"orderId\":\"ORD-1001\",\"sku\":\"TENT-2P\",\"reason\":\"too small\"}"},
                new String[] {"get_account_info", "{\"phoneNumber\":\"2065550142\"}"});
        for (String[] call : calls) {
            ToolResult refused = run(call[0], call[1]);
            assertThat(refused.ok()).as(call[0]).isFalse();
            assertThat(refused.error()).as(call[0]).startsWith("the caller is not verified").contains("authenticate_customer");
            ToolResult noSession = run(null, call[0], call[1]);
            assertThat(noSession.ok()).as(call[0]).isFalse();
            assertThat(noSession.error()).as(call[0]).contains("session");
        }
        assertThat(run(null, "authenticate_customer", MAYA).error()).contains("runs only in a session");
        assertThat(run("get_next_response_from_supervisor", "{\"relevantContextFromLastUserMessage\":\"my account balance, 206 555 0142\"}").result())
                .contains("not verified").doesNotContain("Maya");
        // a failed verification verifies nobody
        run("authenticate_customer", WRONG);
        assertThat(run("lookup_order", "{\"orderId\":\"ORD-1001\"}").ok()).isFalse();
        // another session's verification is not this one's
        verifiedAs(MAYA);
        assertThat(run(newSession(), "lookup_order", "{\"orderId\":\"ORD-1001\"}").error()).startsWith("the caller is not verified");
    }

    @Test
    void aVerifiedCallerGetsOnlyTheirOwnData() {
        verifiedAs(MAYA);
        ToolResult other = run("lookup_order", "{\"orderId\":\"ORD-1003\"}");
        assertThat(other.ok()).isFalse();
        assertThat(other.error()).contains("not an order of the verified customer").doesNotContain("BOOT-HK-42");
        assertThat(run("check_return_eligibility", "{\"orderId\":\"ORD-1003\",\"sku\":\"BOOT-HK-42\",\"reason\":\"x\"}").ok()).isFalse();
        assertThat(run("process_return", "{\"orderId\":\"ORD-1003\",\"sku\":\"BOOT-HK-42\",\"reason\":\"x\"}").ok()).isFalse();
        ToolResult account = run("get_account_info", "{\"phoneNumber\":\"415-555-0187\"}");
        assertThat(account.ok()).isFalse();
        assertThat(account.error()).contains("not the verified caller's account").doesNotContain("Okafor");
        assertThat(run("get_account_info", "{\"phoneNumber\":\"(206) 555-0142\"}").result()).contains("Maya Lindqvist");
        assertThat(run("get_next_response_from_supervisor", "{\"relevantContextFromLastUserMessage\":\"account balance of 415 555 0187\"}").result())
                .contains("not the verified caller's account").doesNotContain("Okafor");
        assertThat(run("get_next_response_from_supervisor", "{\"relevantContextFromLastUserMessage\":\"what is my account balance\"}").result())
                .contains("Maya Lindqvist");
    }

    @Test
    void verificationStopsAfterTheMaximumOfFailedAttemptsEvenInParallel() throws Exception {
        try (var pool = Executors.newFixedThreadPool(8)) {
            List<CompletableFuture<ToolResult>> guesses = IntStream.range(0, 8).mapToObj(i -> CompletableFuture.supplyAsync(
                    () -> run("authenticate_customer", WRONG), pool)).toList();
            List<String> errors = guesses.stream().map(CompletableFuture::join).map(ToolResult::error).toList();
            assertThat(errors).filteredOn(e -> e.startsWith("no customer matches")).hasSize(5);
            assertThat(errors).filteredOn(e -> e.startsWith("too many failed verification attempts")).hasSize(3);
        }
        // the right answer comes too late: the session accepts no more attempts
        ToolResult late = run("authenticate_customer", MAYA);
        assertThat(late.ok()).isFalse();
        assertThat(late.error()).startsWith("too many failed verification attempts in this session (5)")
                .contains("escalate_to_human");
        assertThat(run("lookup_order", "{\"orderId\":\"ORD-1001\"}").ok()).isFalse();
        // a verification that succeeds does not use up the session's attempts
        session = newSession();
        for (int i = 0; i < 6; i++) {
            verifiedAs(MAYA);
        }
    }

    @Test
    void returnsFollowThePolicy() {
        verifiedAs(MAYA);
        assertThat(run("check_return_eligibility", "{\"orderId\":\"ord-1001\",\"sku\":\"TENT-2P\",\"reason\":\"too small\"}").result())
                .contains("\"eligible\":true").contains("\"refund_amount\":329.0");
        assertThat(run("check_return_eligibility", "{\"orderId\":\"ORD-1002\",\"sku\":\"JKT-RAIN-M\",\"reason\":\"changed my mind\"}").result())
                .contains("\"eligible\":false").contains("past the 30-day window");
        assertThat(run("check_return_eligibility", "{\"orderId\":\"ORD-1002\",\"sku\":\"JKT-RAIN-M\",\"reason\":\"the zipper is broken\"}").result())
                .contains("\"eligible\":true");
        assertThat(run("process_return", "{\"orderId\":\"ORD-1001\",\"sku\":\"TENT-2P\",\"reason\":\"too small\"}").result())
                .contains("\"rma_number\":\"RMA-1001-");
        verifiedAs(DANIEL);
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
        verifiedAs(DANIEL);
        assertThat(run("get_account_info", "{\"phoneNumber\":\"415-555-0187\"}").result()).contains("late fee");
    }
}
