package dev.agentdock.tool.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.tool.AgentTools;
import dev.agentdock.tool.ToolCallContext;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolMemoryId;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.inject.Singleton;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Tools of the customer-service-retail scenario over {@link RetailData}: authentication, orders, returns, products
 * and stores. Failures (unknown order, ineligible return) throw with a message the agent can relay. Orders and
 * returns are those of the session's verified customer only ({@link VerifiedCaller}).
 */
@Singleton
public class RetailTools implements AgentTools {

    private final ObjectMapper json;
    private final VerifiedCaller caller;

    public RetailTools(ObjectMapper json, VerifiedCaller caller) {
        this.json = json;
        this.caller = caller;
    }

    @RegisterForReflection
    record Authenticated(boolean authenticated, String customerId, String name, List<String> orderIds) {
    }

    @RegisterForReflection
    record Eligibility(String orderId, String sku, boolean eligible, String explanation, double refundAmount) {
    }

    @RegisterForReflection
    record ReturnStarted(String rmaNumber, String orderId, String sku, double refundAmount, String nextSteps) {
    }

    @Tool(name = "authenticate_customer", value = "Verifies a customer's identity with their phone number and date of "
            + "birth. Returns the customer id, name and order ids. Call this before discussing any order.")
    public String authenticateCustomer(@P("the customer's phone number, any format") String phoneNumber,
                                       @P("the customer's date of birth, YYYY-MM-DD") String dateOfBirth,
                                       @ToolMemoryId ToolCallContext context) {
        RetailData.Customer c = caller.verify(context, phoneNumber, dateOfBirth);
        return write(new Authenticated(true, c.customerId(), c.name(), RetailData.orderIds(c.customerId())));
    }

    @Tool(name = "lookup_order", value = "Looks up an order by id: status, items (sku, name, price, final sale) and "
            + "how many days ago it was delivered.")
    public String lookupOrder(@P("the order id, like ORD-1001") String orderId, @ToolMemoryId ToolCallContext context) {
        return write(ownOrder(context, orderId));
    }

    @Tool(name = "check_return_eligibility", value = "Checks whether one item of an order can be returned under the "
            + "return policy (30 days from delivery, 90 days if defective, never final-sale items) and for how much.")
    public String checkReturnEligibility(@P("the order id, like ORD-1001") String orderId,
                                         @P("the sku of the item to return") String sku,
                                         @P("why the customer wants to return it, in their words") String reason,
                                         @ToolMemoryId ToolCallContext context) {
        return write(eligibility(ownOrder(context, orderId), sku, reason));
    }

    @Tool(name = "process_return", value = "Starts the return of one eligible item: creates an RMA number and emails a "
            + "prepaid shipping label. Only call after check_return_eligibility said eligible and the customer confirmed.")
    public String processReturn(@P("the order id, like ORD-1001") String orderId,
                                @P("the sku of the item to return") String sku,
                                @P("why the customer is returning it") String reason,
                                @ToolMemoryId ToolCallContext context) {
        Eligibility e = eligibility(ownOrder(context, orderId), sku, reason);
        if (!e.eligible()) {
            throw new IllegalStateException("the return cannot be processed: " + e.explanation());
        }
        String rma = "RMA-" + e.orderId().substring(4) + "-" + Integer.toHexString(Math.abs((e.orderId() + e.sku()).hashCode()) % 0xFFFF).toUpperCase(Locale.ROOT);
        return write(new ReturnStarted(rma, e.orderId(), e.sku(), e.refundAmount(),
                "A prepaid label was emailed. The refund goes to the original payment method within 5 business days of the item arriving."));
    }

    @Tool(name = "lookup_product", value = "Searches the product catalog by keyword (name, category or sku). Returns "
            + "matching products with price, stock and a short summary.")
    public String lookupProduct(@P("what the customer is looking for, e.g. 'tent' or 'rain jacket'") String query) {
        String q = query == null ? "" : query.toLowerCase(Locale.ROOT).strip();
        List<RetailData.Product> found = RetailData.PRODUCTS.stream()
                .filter(p -> !q.isEmpty() && (p.name().toLowerCase(Locale.ROOT).contains(q)
                        || p.category().contains(q) || p.sku().equalsIgnoreCase(q)
                        || List.of(q.split("\\s+")).stream().anyMatch(w -> w.length() > 2 && p.name().toLowerCase(Locale.ROOT).contains(w))))
                .toList();
        if (found.isEmpty()) {
            throw new IllegalArgumentException("no product matches '" + query + "'; categories are tents, lighting, clothing, footwear, packs, sleeping");
        }
        return write(found);
    }

    @Tool(name = "find_nearest_store", value = "Finds the Summit Outfitters store nearest to a US zip code, with "
            + "address, opening hours and phone number.")
    public String findNearestStore(@P("a 5-digit US zip code") String zipCode) {
        if (zipCode == null || !zipCode.strip().matches("\\d{5}")) {
            throw new IllegalArgumentException("'" + zipCode + "' is not a 5-digit US zip code");
        }
        int zip = Integer.parseInt(zipCode.strip());
        // zip codes grow roughly east to west, so numeric distance is a fair stand-in for geography here
        return write(RetailData.STORES.stream()
                .min(Comparator.comparingInt(s -> Math.abs(Integer.parseInt(s.zipCode()) - zip))).orElseThrow());
    }

    /** An order of the session's verified customer; another customer's order is refused like an unknown one. */
    private RetailData.Order ownOrder(ToolCallContext context, String orderId) {
        RetailData.Customer customer = caller.require(context);
        RetailData.Order order = RetailData.order(orderId);
        if (!order.customerId().equals(customer.customerId())) {
            throw new IllegalArgumentException("order '" + orderId + "' is not an order of the verified customer; "
                    + "their orders are " + String.join(", ", RetailData.orderIds(customer.customerId())));
        }
        return order;
    }

    private Eligibility eligibility(RetailData.Order order, String sku, String reason) {
        RetailData.Item item = order.item(sku == null ? "" : sku.strip()).orElseThrow(() -> new IllegalArgumentException(
                "order " + order.orderId() + " has no item '" + sku + "'; its skus are "
                        + String.join(", ", order.items().stream().map(RetailData.Item::sku).toList())));
        boolean defective = reason != null && reason.toLowerCase(Locale.ROOT).matches(".*(defect|broken|broke|faulty|damaged|leak|torn|doesn't work|does not work).*");
        String explanation;
        boolean eligible = false;
        if (order.deliveredDaysAgo() == null) {
            explanation = "the order has not been delivered yet (status " + order.status() + "); it can be refused at delivery";
        } else if (item.finalSale()) {
            explanation = item.name() + " was a final-sale item and cannot be returned";
        } else if (order.deliveredDaysAgo() <= RetailData.RETURN_WINDOW_DAYS) {
            eligible = true;
            explanation = "delivered " + order.deliveredDaysAgo() + " days ago, within the " + RetailData.RETURN_WINDOW_DAYS + "-day return window";
        } else if (defective && order.deliveredDaysAgo() <= RetailData.DEFECT_WINDOW_DAYS) {
            eligible = true;
            explanation = "delivered " + order.deliveredDaysAgo() + " days ago; defective items can be returned for " + RetailData.DEFECT_WINDOW_DAYS + " days";
        } else {
            explanation = "delivered " + order.deliveredDaysAgo() + " days ago, past the " + RetailData.RETURN_WINDOW_DAYS
                    + "-day window" + (defective ? " and the " + RetailData.DEFECT_WINDOW_DAYS + "-day defect window" : " (defective items: 90 days)");
        }
        return new Eligibility(order.orderId(), item.sku(), eligible, explanation, eligible ? item.price() : 0.0);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize tool result", e);
        }
    }
}
