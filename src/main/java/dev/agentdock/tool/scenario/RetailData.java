package dev.agentdock.tool.scenario;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The fixed, fake data of "Summit Outfitters", the outdoor-gear shop of the customer-service-retail scenario.
 * Deliveries are stored as days ago, so eligibility answers do not drift with the calendar.
 */
final class RetailData {

    private RetailData() {
    }

    @RegisterForReflection
    record Customer(String customerId, String name, String phoneDigits, String dateOfBirth, String zipCode) {
    }

    @RegisterForReflection
    record Item(String sku, String name, double price, boolean finalSale) {
    }

    @RegisterForReflection
    record Order(String orderId, String customerId, String status, Integer deliveredDaysAgo, List<Item> items) {
        Optional<Item> item(String sku) {
            return items.stream().filter(i -> i.sku().equalsIgnoreCase(sku)).findFirst();
        }
    }

    @RegisterForReflection
    record Product(String sku, String name, String category, double price, int inStock, String summary) {
    }

    @RegisterForReflection
    record Store(String name, String zipCode, String address, String hours, String phone) {
    }

    static final int RETURN_WINDOW_DAYS = 30;
    static final int DEFECT_WINDOW_DAYS = 90;

    static final List<Customer> CUSTOMERS = List.of(
            new Customer("C-1001", "Maya Lindqvist", "2065550142", "1988-04-12", "98103"),
            new Customer("C-1002", "Daniel Okafor", "4155550187", "1979-11-30", "94110"));

    static final List<Order> ORDERS = List.of(
            new Order("ORD-1001", "C-1001", "delivered", 12, List.of(
                    new Item("TENT-2P", "Ridgeline 2-person tent", 329.00, false),
                    new Item("HL-300", "Beam 300 headlamp", 39.00, false))),
            new Order("ORD-1002", "C-1001", "delivered", 45, List.of(
                    new Item("JKT-RAIN-M", "Stormshell rain jacket, size M", 179.00, false))),
            new Order("ORD-1003", "C-1002", "delivered", 5, List.of(
                    new Item("BOOT-HK-42", "Talus hiking boots, EU 42", 189.00, false),
                    new Item("STOVE-CLR", "Clearance canister camp stove", 24.00, true))),
            new Order("ORD-1004", "C-1002", "in_transit", null, List.of(
                    new Item("PACK-45", "Traverse 45L backpack", 219.00, false))));

    static final List<Product> PRODUCTS = List.of(
            new Product("TENT-2P", "Ridgeline 2-person tent", "tents", 329.00, 14, "Freestanding 3-season tent, 1.9 kg, two doors."),
            new Product("TENT-4P", "Basecamp 4-person tent", "tents", 489.00, 3, "Roomy family tent with a full-coverage fly."),
            new Product("HL-300", "Beam 300 headlamp", "lighting", 39.00, 40, "300 lumens, USB-C rechargeable, red night mode."),
            new Product("JKT-RAIN-M", "Stormshell rain jacket", "clothing", 179.00, 22, "3-layer waterproof shell, pit zips, all sizes."),
            new Product("BOOT-HK-42", "Talus hiking boots", "footwear", 189.00, 9, "Waterproof mid-height boots, Vibram sole."),
            new Product("PACK-45", "Traverse 45L backpack", "packs", 219.00, 0, "Adjustable torso, rain cover included. Back in stock in about two weeks."),
            new Product("BAG-0C", "Glacier 0°C sleeping bag", "sleeping", 259.00, 11, "Down fill, 900 g, compression sack included."));

    static final List<Store> STORES = List.of(
            new Store("Summit Outfitters Seattle", "98101", "1520 4th Ave, Seattle, WA", "Mon-Sat 9-20, Sun 10-18", "+1 206 555 0100"),
            new Store("Summit Outfitters Portland", "97205", "820 SW Alder St, Portland, OR", "Mon-Sat 10-19, Sun 11-17", "+1 503 555 0110"),
            new Store("Summit Outfitters San Francisco", "94103", "77 Mission St, San Francisco, CA", "Mon-Sun 10-20", "+1 415 555 0120"),
            new Store("Summit Outfitters Denver", "80202", "1600 Wazee St, Denver, CO", "Mon-Sat 9-19, Sun 10-17", "+1 303 555 0130"));

    static Optional<Customer> customer(String phoneNumber, String dateOfBirth) {
        String last10 = phoneDigits(phoneNumber);
        return CUSTOMERS.stream()
                .filter(c -> c.phoneDigits().equals(last10) && c.dateOfBirth().equals(dateOfBirth == null ? "" : dateOfBirth.strip()))
                .findFirst();
    }

    static Optional<Customer> customer(String customerId) {
        return CUSTOMERS.stream().filter(c -> c.customerId().equals(customerId)).findFirst();
    }

    /** The last 10 digits of a phone number written any way. */
    static String phoneDigits(String phoneNumber) {
        String digits = phoneNumber == null ? "" : phoneNumber.replaceAll("\\D", "");
        return digits.length() > 10 ? digits.substring(digits.length() - 10) : digits;
    }

    static Order order(String orderId) {
        String id = orderId == null ? "" : orderId.strip().toUpperCase(Locale.ROOT);
        return ORDERS.stream().filter(o -> o.orderId().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no order '" + orderId + "'; order ids look like ORD-1001"));
    }

    static List<String> orderIds(String customerId) {
        return ORDERS.stream().filter(o -> o.customerId().equals(customerId)).map(Order::orderId).toList();
    }
}
