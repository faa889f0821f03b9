package dev.agentdock.tool;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import jakarta.inject.Singleton;
import java.util.List;

/** Test-only tool with one parameter of every JSON type, so each kind of schema violation can be provoked. */
@Singleton
public class SchemaProbeTools implements AgentTools {

    public record Address(String city, String zip) {
    }

    @Tool(name = "probe_order", value = "Echoes an order back (test only).")
    public String probeOrder(@P(name = "quantity", value = "how many") int quantity,
                             @P(name = "price", value = "unit price") double price,
                             @P(name = "gift", value = "gift wrapped") boolean gift,
                             @P(name = "tags", value = "labels") List<String> tags,
                             @P(name = "address", value = "where to ship") Address address,
                             @P(name = "note", value = "free text", required = false) String note) {
        return quantity + "x" + price + (gift ? " gift" : "") + " " + tags + " to " + address.city();
    }
}
