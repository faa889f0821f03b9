package dev.agentdock.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.common.OpenAiEndpoints;
import dev.agentdock.common.OpenAiTarget;
import dev.agentdock.common.Problem;
import dev.agentdock.common.ProblemMapper;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.logging.Log;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.Map;

/**
 * Who may reach the simulator's {@code /v1/*} routes. With a real OpenAI key set (and OpenAI not pointed at this
 * machine) nobody: the service does not talk to it, so it is not there (404). In the prod profile without a key,
 * only this machine (loopback), so the service's own clients can, and the internet cannot spend its cores. In dev
 * and test, anyone. It says which at start.
 */
@ApplicationScoped
@IfBuildProperty(name = "agentdock.simulator.enabled", stringValue = "true")
public class SimulatorGate {

    enum Reach { NOBODY, LOOPBACK, ANYONE }

    private final ObjectMapper json;
    private final Reach reach;

    SimulatorGate(ObjectMapper json, OpenAiEndpoints openAi) {
        this.json = json;
        this.reach = reachOf(openAi.resolve(), LaunchMode.current());
    }

    static Reach reachOf(OpenAiTarget target, LaunchMode mode) {
        if (!target.simulated() && !isLoopback(URI.create(target.baseUrl()).getHost())) {
            return Reach.NOBODY;
        }
        return mode == LaunchMode.NORMAL ? Reach.LOOPBACK : Reach.ANYONE;
    }

    void announce(@Observes StartupEvent start) {
        switch (reach) {
            case NOBODY -> Log.info("OpenAI simulator: not served (a real OpenAI key is configured)");
            case LOOPBACK -> Log.info("OpenAI simulator: served at /v1 to this machine only (no OPENAI_API_KEY set)");
            case ANYONE -> Log.infof("OpenAI simulator: served at /v1 (%s mode)", LaunchMode.current().getDefaultProfile());
        }
    }

    void install(@Observes Router router) {
        router.route("/v1/*").order(Integer.MIN_VALUE + 1).handler(this::gate);
    }

    private void gate(RoutingContext ctx) {
        SocketAddress remote = ctx.request().remoteAddress();
        boolean allowed = switch (reach) {
            case NOBODY -> false;
            case LOOPBACK -> remote != null && isLoopback(remote.hostAddress());
            case ANYONE -> true;
        };
        if (allowed) {
            ctx.next();
            return;
        }
        ProblemMapper.send(ctx, json, Problem.of(404, "not-found", "no resource at " + ctx.normalizedPath(),
                ctx.normalizedPath()), Map.of());
    }

    static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return h.equals("localhost") || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}") || h.equals("::1")
                || h.equals("0:0:0:0:0:0:0:1");
    }
}
