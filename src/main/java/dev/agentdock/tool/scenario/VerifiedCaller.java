package dev.agentdock.tool.scenario;

import dev.agentdock.session.VerifiedCustomers;
import dev.agentdock.tool.ToolCallContext;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Who the caller of a tool proved to be, for the scenarios' customer-data tools: the verified customer of the
 * call's session (recorded by {@code authenticate_customer}), never an id or phone number the model passes. Without
 * one, a customer-data tool fails with a message that tells the agent what to do.
 */
@Singleton
public class VerifiedCaller {

    static final String NOT_VERIFIED = "the caller is not verified: call authenticate_customer with the phone number "
            + "on their account and their date of birth first";
    static final String NO_SESSION = "customer data is only available in a session whose caller was verified with "
            + "authenticate_customer";

    private final VerifiedCustomers customers;

    VerifiedCaller(VerifiedCustomers customers) {
        this.customers = customers;
    }

    /** The verified customer of the call's session, if any. */
    Optional<RetailData.Customer> find(ToolCallContext context) {
        if (context == null || context.sessionId() == null) {
            return Optional.empty();
        }
        return customers.of(context.sessionId()).flatMap(RetailData::customer);
    }

    /** The verified customer of the call's session, else a tool error. */
    RetailData.Customer require(ToolCallContext context) {
        if (context == null || context.sessionId() == null) {
            throw new IllegalStateException(NO_SESSION);
        }
        return find(context).orElseThrow(() -> new IllegalStateException(NOT_VERIFIED));
    }

    /**
     * Verifies the session's caller as the customer with that phone number and date of birth, within the session's
     * attempts; the customer, or a tool error (no match, with the attempts left; none left).
     */
    RetailData.Customer verify(ToolCallContext context, String phoneNumber, String dateOfBirth) {
        if (context == null || context.sessionId() == null) {
            throw new IllegalStateException("authenticate_customer runs only in a session: the verified customer "
                    + "is kept on it");
        }
        int used = customers.claimAttempt(context.sessionId()).orElseThrow(() -> new IllegalStateException(
                "too many failed verification attempts in this session (" + customers.maxAttempts()
                        + "); no more are accepted: offer to connect the caller with a human (escalate_to_human)"));
        RetailData.Customer c = RetailData.customer(phoneNumber, dateOfBirth).orElseThrow(() -> {
            int left = customers.maxAttempts() - used;
            return new IllegalArgumentException("no customer matches that phone number and date of birth ("
                    + (left == 0 ? "no attempts left" : left + (left == 1 ? " attempt" : " attempts") + " left") + ")");
        });
        customers.verified(context.sessionId(), c.customerId());
        return c;
    }
}
