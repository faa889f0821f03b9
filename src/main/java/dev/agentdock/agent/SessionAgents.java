package dev.agentdock.agent;

import dev.agentdock.common.DomainException;
import dev.agentdock.session.AgentSession;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Which agent answers in a session: its root agent (or the agent it was opened with), with the session's own
 * instructions and model when it carries them (SDK sessions). Tools come from the named agent, else the default.
 */
@ApplicationScoped
public class SessionAgents {

    private final AgentDirectory agents;

    SessionAgents(AgentDirectory agents) {
        this.agents = agents;
    }

    public AgentSpec forSession(AgentSession session) {
        String name = session.rootAgent != null ? session.rootAgent : session.agentName;
        return withOverrides(name, session.instructions, session.model);
    }

    /**
     * The named agent with instructions/model replaced where given; unknown names need instructions (and borrow the
     * default agent's tools and policy). The copy keeps the agent's guardrail policy.
     */
    public AgentSpec withOverrides(String name, String instructions, String model) {
        var named = agents.find(name);
        if (named.isEmpty() && instructions == null) {
            throw new DomainException.NotFound("agent", name);
        }
        AgentSpec base = named.or(() -> agents.find(ConfiguredAgentDirectory.DEFAULT_NAME))
                .orElseThrow(() -> new DomainException.NotFound("agent", name));
        return base.as(name, instructions, model);
    }

    /**
     * The agent a stored run of the session answers as (a queued run, a resumed one): the directory's agent of that
     * name, else the session's own (SDK) agent; empty when neither exists any more.
     */
    public java.util.Optional<AgentSpec> forRun(AgentSession session, String agentName) {
        var named = agents.find(agentName);
        if (named.isPresent() || session.instructions == null) {
            return named;
        }
        return java.util.Optional.of(withOverrides(agentName, session.instructions, session.model));
    }
}
