package dev.agentdock.tool;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import jakarta.inject.Singleton;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** General-purpose tools every scenario may use. */
@Singleton
public class BuiltinTools implements AgentTools {

    @Tool(name = "echo", value = "Returns the given text unchanged. Useful to test tool calling.")
    public String echo(@P("the text to echo back") String text) {
        return text;
    }

    @Tool(name = "get_current_time", value = "The current date and time in an IANA time zone, ISO-8601.")
    public String getCurrentTime(@P(value = "IANA time zone such as Europe/Paris; UTC if omitted", required = false) String timezone) {
        ZoneId zone = timezone == null || timezone.isBlank() ? ZoneId.of("UTC") : ZoneId.of(timezone);
        return ZonedDateTime.now(zone).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME) + " (" + zone + ")";
    }
}
