package dev.agentdock.tool;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import io.quarkus.logging.Log;
import jakarta.inject.Singleton;

/**
 * Tools that exist only in the test build: one that needs approval, one too slow for its time limit, one that logs
 * (on the tool's own thread).
 */
@Singleton
public class TestOnlyTools implements AgentTools {

    @Tool(name = "transfer_funds", value = "Moves money between accounts (needs a human's approval).")
    public String transferFunds(@P("amount in cents") int amount, @P("destination account") String to) {
        return "transferred " + amount + " to " + to;
    }

    @Tool(name = "log_note", value = "Writes a note to the service log.")
    public String logNote(@P("the note") String text) {
        Log.infof("note from a tool: %s", text);
        return "noted";
    }

    @Tool(name = "slow_lookup", value = "A lookup that takes far longer than its time limit.")
    @ToolTimeout(millis = 200)
    public String slowLookup(@P("what to look up") String query) throws InterruptedException {
        Thread.sleep(5_000);
        return "too late: " + query;
    }
}
