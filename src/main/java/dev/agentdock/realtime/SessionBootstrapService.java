package dev.agentdock.realtime;

import dev.agentdock.common.DomainException;
import dev.agentdock.common.Ids;
import dev.agentdock.common.OpenAiEndpoints;
import dev.agentdock.common.OpenAiTarget;
import dev.agentdock.scenario.Scenario;
import dev.agentdock.scenario.ScenarioAgent;
import dev.agentdock.scenario.ScenarioRegistry;
import dev.agentdock.tool.FunctionTool;
import dev.agentdock.tool.ToolRegistry;
import dev.agentdock.session.AgentSession;
import dev.agentdock.session.SessionRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Opens Realtime voice sessions: a bare ephemeral key ({@code /api/session}), or a scenario session
 * ({@code /api/session2}) whose key is minted with the root agent's instructions, voice and tools, recorded as a
 * session row, and answered with every agent of the scenario.
 */
@ApplicationScoped
public class SessionBootstrapService {

    private final OpenAiEndpoints openAi;
    private final ClientSecretMinter minter;
    private final ScenarioRegistry scenarios;
    private final ToolRegistry tools;
    private final RealtimeSessionRecorder recorder;
    private final RealtimeConfig config;
    private final RealtimeSessionConfig sessionConfigs;
    private final RealtimeHistory history;
    private final SessionRepository sessions;
    private final Optional<String> publicBaseUrl;

    SessionBootstrapService(OpenAiEndpoints openAi, ClientSecretMinter minter, ScenarioRegistry scenarios,
                            ToolRegistry tools, RealtimeSessionRecorder recorder, RealtimeConfig config,
                            RealtimeSessionConfig sessionConfigs, RealtimeHistory history, SessionRepository sessions,
                            @ConfigProperty(name = "agentdock.public-base-url") Optional<String> publicBaseUrl) {
        this.openAi = openAi;
        this.minter = minter;
        this.scenarios = scenarios;
        this.tools = tools;
        this.recorder = recorder;
        this.config = config;
        this.sessionConfigs = sessionConfigs;
        this.history = history;
        this.sessions = sessions;
        this.publicBaseUrl = publicBaseUrl.map(String::strip).filter(s -> !s.isEmpty());
    }

    public EphemeralKey ephemeralKey() {
        OpenAiTarget target = openAi.resolve();
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("type", "realtime");
        session.put("model", config.model());
        return minter.mint(target, session);
    }

    public SessionInitPayload start(String userId, String scenarioId, String requestedRoot) {
        return start(userId, scenarioId, requestedRoot, Optional.empty(), null, true);
    }

    /**
     * As {@link #start(String, String, String)}; {@code origin} makes the socket URL absolute without a base URL.
     * {@code continued} (the caller's session of the same scenario) is continued instead of a new one: its active
     * agent is the root unless another is asked for, and its recent history comes back as conversation items.
     * Without {@code mintKey} no ephemeral key is minted (the payload's is null): one OpenAI round trip less, and no
     * key in a browser that sets its call up through the service.
     */
    public SessionInitPayload start(String userId, String scenarioId, String requestedRoot,
                                    Optional<RequestOrigin> origin, String continued, boolean mintKey) {
        if (scenarioId == null || scenarioId.isBlank()) {
            throw new DomainException.Invalid("scenario_id", "is required");
        }
        Scenario scenario = scenarios.require(scenarioId);
        AgentSession existing = null;
        if (continued != null && !continued.isBlank()) {
            UUID id = Ids.parse("session_id", continued);
            existing = QuarkusTransaction.requiringNew().call(() -> sessions.findOwned(id, userId))
                    .orElseThrow(() -> new DomainException.NotFound("session", id));
            if (!scenario.id().equals(existing.scenarioId)) {
                throw new DomainException.Invalid("session_id", "is a session of "
                        + (existing.scenarioId == null ? "no scenario" : "scenario '" + existing.scenarioId + "'")
                        + ", not of '" + scenario.id() + "'");
            }
        }
        String active = existing == null ? null : existing.rootAgent != null ? existing.rootAgent : existing.agentName;
        String rootName = requestedRoot != null && !requestedRoot.isBlank() ? requestedRoot
                : active != null && scenario.agent(active).isPresent() ? active : scenario.defaultRootAgent();
        ScenarioAgent root = scenario.agent(rootName).orElseThrow(() -> new DomainException.Invalid("root_agent",
                "unknown agent '" + rootName + "' in scenario '" + scenarioId + "' (valid: " + String.join(", ", scenario.agentNames()) + ")"));
        OpenAiTarget target = openAi.resolve();

        EphemeralKey key = mintKey ? minter.mint(target, sessionConfigs.of(scenario, root)) : null;
        UUID sessionId;
        List<Map<String, Object>> items = List.of();
        if (existing != null) {
            sessionId = existing.id;
            items = history.items(sessionId);
            if (!root.name().equals(active)) {
                String to = root.name();
                QuarkusTransaction.requiringNew().run(() -> sessions.update("rootAgent = ?1, updatedAt = ?2 where id = ?3",
                        to, java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC), sessionId));
            }
        } else {
            sessionId = Ids.newId();
            recorder.record(sessionId, userId, scenario.id(), root.name());
        }
        Log.infof("realtime session %s %s: scenario=%s root=%s simulated=%s", sessionId,
                existing == null ? "opened" : "continued (" + items.size() + " history items)", scenario.id(), root.name(), target.simulated());

        List<SessionInitPayload.InitialAgent> agents = new ArrayList<>();
        agents.add(initialAgent(root));
        scenario.agents().stream().filter(a -> a != root).map(this::initialAgent).forEach(agents::add);
        return new SessionInitPayload(sessionId, scenario.id(), root.name(), key, config.model(), agents,
                scenario.guardrails(), orchestrationUrl(publicBaseUrl, origin, sessionId), items);
    }

    private SessionInitPayload.InitialAgent initialAgent(ScenarioAgent agent) {
        return new SessionInitPayload.InitialAgent(agent.name(), agent.instructions(), agent.description(),
                FunctionTool.of(tools, agent.tools()), agent.handoffs(), agent.voice(),
                agent.approvalTools());
    }

    /**
     * Absolute: on the configured public base URL (http(s) becomes ws(s)), else on the origin the request came to
     * (forwarded host and scheme); relative ({@code /ws/sessions/{id}}) only when neither is known.
     */
    static String orchestrationUrl(Optional<String> publicBaseUrl, Optional<RequestOrigin> origin, UUID sessionId) {
        String path = "/ws/sessions/" + sessionId;
        return publicBaseUrl.map(base -> {
            String ws = base.startsWith("https://") ? "wss://" + base.substring(8)
                    : base.startsWith("http://") ? "ws://" + base.substring(7) : base;
            return (ws.endsWith("/") ? ws.substring(0, ws.length() - 1) : ws) + path;
        }).or(() -> origin.map(o -> o.webSocketBase() + path)).orElse(path);
    }
}
