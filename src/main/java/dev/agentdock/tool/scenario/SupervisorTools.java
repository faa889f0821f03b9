package dev.agentdock.tool.scenario;

import dev.agentdock.tool.AgentTools;
import dev.agentdock.tool.ToolCallContext;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolMemoryId;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Locale;

/**
 * Tools of the chat-supervisor scenario, for "Northwind Mobile". The junior chat agent asks
 * {@code get_next_response_from_supervisor}; here the supervisor is a deterministic policy lookup (a real deployment
 * would run the scenario's supervisor agent through the turn engine instead). The supervisor agent's own tools,
 * {@code lookup_policy_document} and {@code get_account_info}, read the same fixed data. Account details are those
 * of the session's verified caller only ({@link VerifiedCaller}; accounts are keyed by the customer's phone number).
 */
@Singleton
public class SupervisorTools implements AgentTools {

    private final VerifiedCaller caller;

    SupervisorTools(VerifiedCaller caller) {
        this.caller = caller;
    }

    private record Policy(String topic, List<String> keywords, String text) {
    }

    private static final List<Policy> POLICIES = List.of(
            new Policy("plans", List.of("plan", "price", "cost", "unlimited", "upgrade", "cheaper"),
                    "Plans: Essential $35/month (10 GB), Plus $50/month (unlimited, 50 GB at full speed), Max $70/month "
                            + "(unlimited, 5G priority, 20 GB hotspot). Plan changes take effect on the next bill, no fee."),
            new Policy("roaming", List.of("roam", "abroad", "travel", "international", "overseas"),
                    "Roaming: Plus and Max include data in Canada and Mexico. Elsewhere a Travel Pass is $10 per day, "
                            + "charged only on days the phone is used abroad. Add it in the app before travelling."),
            new Policy("billing", List.of("bill", "charge", "fee", "late", "payment", "refund", "overcharge"),
                    "Billing: bills are due on the 15th. A $5 late fee applies after 10 days. A disputed charge can be "
                            + "credited once a year by support without review; beyond that it needs a billing review (3-5 days)."),
            new Policy("cancellation", List.of("cancel", "terminate", "leave", "switch", "contract", "port"),
                    "Cancellation: month-to-month plans can be cancelled any time with no fee. Device installments "
                            + "remaining become due on cancellation. Numbers can be ported out with the account PIN."),
            new Policy("coverage", List.of("coverage", "signal", "outage", "no service", "dropped", "network"),
                    "Coverage: if service drops in one place, restart the phone and check the outage map in the app. "
                            + "A confirmed outage longer than 24 hours earns a one-day credit on request."));

    @Tool(name = "get_next_response_from_supervisor", value = "Asks the supervisor what to tell the user when the "
            + "question is about plans, billing, roaming, cancellation, coverage or an account, or is anything beyond "
            + "small talk. Returns the exact guidance to relay.")
    public String getNextResponseFromSupervisor(
            @P("the key facts from the user's most recent message, concise; include any phone number they gave") String relevantContextFromLastUserMessage,
            @ToolMemoryId ToolCallContext call) {
        String context = relevantContextFromLastUserMessage == null ? "" : relevantContextFromLastUserMessage.toLowerCase(Locale.ROOT);
        String digits = context.replaceAll("\\D", "");
        if (context.contains("account") || context.contains("my balance") || context.contains("my usage")) {
            var verified = caller.find(call);
            if (verified.isEmpty()) {
                return "Supervisor: the caller is not verified yet. Ask for the phone number on the account and their "
                        + "date of birth, then call authenticate_customer, before going further.";
            }
            if (digits.length() >= 10 && !RetailData.phoneDigits(digits).equals(verified.get().phoneDigits())) {
                return "Supervisor: that phone number is not the verified caller's account; only their own account "
                        + "can be discussed.";
            }
            return "Supervisor: " + account(verified.get().phoneDigits());
        }
        return POLICIES.stream().filter(p -> p.keywords().stream().anyMatch(context::contains)).findFirst()
                .map(p -> "Supervisor: answer from this policy, in one or two sentences: " + p.text())
                .orElse("Supervisor: I don't have an answer for that. Tell the user you'll need to check, and offer "
                        + "to connect them with a human agent.");
    }

    @Tool(name = "lookup_policy_document", value = "Returns Northwind Mobile's policy on a topic: plans, roaming, "
            + "billing, cancellation or coverage.")
    public String lookupPolicyDocument(@P("the topic, e.g. 'roaming' or 'late fee'") String topic) {
        String t = topic == null ? "" : topic.toLowerCase(Locale.ROOT);
        return POLICIES.stream().filter(p -> t.contains(p.topic()) || p.keywords().stream().anyMatch(t::contains))
                .findFirst().map(Policy::text)
                .orElseThrow(() -> new IllegalArgumentException("no policy on '" + topic
                        + "'; topics are plans, roaming, billing, cancellation, coverage"));
    }

    @Tool(name = "get_account_info", value = "Returns the plan, balance and this month's data use of the Northwind "
            + "Mobile account with the given phone number.")
    public String getAccountInfo(@P("the account's phone number, any format") String phoneNumber,
                                 @ToolMemoryId ToolCallContext context) {
        RetailData.Customer customer = caller.require(context);
        if (!RetailData.phoneDigits(phoneNumber).equals(customer.phoneDigits())) {
            throw new IllegalArgumentException("phone number '" + phoneNumber + "' is not the verified caller's "
                    + "account; only their own account can be read");
        }
        return account(customer.phoneDigits());
    }

    private static String account(String last10) {
        return switch (last10) {
            case "2065550142" -> "Account of Maya Lindqvist: Plus plan, balance $50.00 due on the 15th, 31.2 GB used this month.";
            case "4155550187" -> "Account of Daniel Okafor: Essential plan, balance $40.00 including a $5 late fee, 9.6 GB of 10 GB used.";
            default -> throw new IllegalArgumentException("the verified caller has no Northwind Mobile account");
        };
    }
}
