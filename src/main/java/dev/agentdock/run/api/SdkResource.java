package dev.agentdock.run.api;

import dev.agentdock.agent.AgentDirectory;
import dev.agentdock.agent.AgentSpec;
import dev.agentdock.agent.SessionAgents;
import dev.agentdock.common.ModelAllowlist;
import dev.agentdock.auth.RateLimitGroup;
import dev.agentdock.auth.RateLimited;
import dev.agentdock.run.Multitask;
import dev.agentdock.run.RunConfig;
import dev.agentdock.run.RunOutcome;
import io.quarkus.security.Authenticated;
import dev.agentdock.auth.CurrentUser;
import dev.agentdock.common.DomainException;
import dev.agentdock.common.Ids;
import dev.agentdock.session.AgentSession;
import dev.agentdock.session.SessionControl;
import dev.agentdock.session.SessionRepository;
import dev.agentdock.session.StepView;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The SDK-style and single-turn endpoints of the earlier prototype, on the same storage as everything else:
 * nothing is kept in memory between calls, so they work on any instance.
 */
@Authenticated
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SdkResource {

    public record AgentOverride(@Size(max = 200) String name, @Size(max = 50_000) String instructions,
                                @Size(max = 200) String model) {
    }

    public record CreateBody(@Pattern(regexp = ChatRequestBody.UUID_PATTERN, message = "must be a UUID") String sessionId,
                             @NotBlank @Size(max = 200) String agentName, @NotBlank @Size(max = 50_000) String instructions,
                             @Size(max = 200) String model) {
    }

    public record MessageBody(@NotNull @Pattern(regexp = ChatRequestBody.UUID_PATTERN, message = "must be a UUID") String sessionId,
                              @NotBlank @Size(max = 100_000) String userInput, @Valid AgentOverride agent) {
    }

    public record RunBody(@NotBlank @Size(max = 100_000) String input, @Size(max = 200) String agentName,
                          @Size(max = 50_000) String instructions, @Size(max = 200) String model,
                          @Pattern(regexp = ChatRequestBody.UUID_PATTERN, message = "must be a UUID") String sessionId) {
    }

    private final RunService runs;
    private final AgentDirectory agents;
    private final SessionRepository sessions;
    private final SessionControl control;
    private final CurrentUser user;
    private final RunConfig config;
    private final dev.agentdock.session.ConversationStore store;
    private final SessionAgents sessionAgents;

    private final ModelAllowlist models;

    SdkResource(RunService runs, AgentDirectory agents, SessionRepository sessions, SessionControl control,
                CurrentUser user, RunConfig config, dev.agentdock.session.ConversationStore store,
                SessionAgents sessionAgents, ModelAllowlist models) {
        this.sessionAgents = sessionAgents;
        this.models = models;
        this.store = store;
        this.runs = runs;
        this.agents = agents;
        this.sessions = sessions;
        this.control = control;
        this.user = user;
        this.config = config;
    }

    @RateLimited(RateLimitGroup.WRITES)
    @POST
    @Path("/sdk/session/create")
    @RunOnVirtualThread
    public Map<String, Object> create(@Valid @NotNull CreateBody body) {
        models.require("model", body.model());
        UUID id = body.sessionId() == null ? Ids.newId() : Ids.parse("session_id", body.sessionId());
        String userId = user.id();
        AgentSession session = QuarkusTransaction.requiringNew().call(() -> {
            AgentSession existing = sessions.findById(id);
            if (existing != null) {
                if (!existing.userId.equals(userId)) {
                    throw new DomainException.NotFound("session", id);
                }
                return existing;
            }
            AgentSession created = sessions.create(id, userId, body.agentName());
            created.instructions = body.instructions();
            created.model = body.model();
            return created;
        });
        return Map.of("session_id", session.id, "agent_name", session.agentName, "model", modelOf(session.model));
    }

    @RateLimited(RateLimitGroup.CHAT)
    @POST
    @Path("/sdk/session/message")
    @RunOnVirtualThread
    public Map<String, Object> message(@Valid @NotNull MessageBody body) throws Exception {
        AgentSession session = control.owned(user.id(), Ids.parse("session_id", body.sessionId()));
        AgentSpec agent = agentFor(session.agentName, session.instructions, session.model, body.agent());
        int before = store.maxSequence(session.id);
        RunOutcome outcome = finish(runs.chat(agent, user.id(), session.id, null, body.userInput(), Multitask.REJECT));
        int after = outcome.lastSequence() == null ? before : outcome.lastSequence();
        return Map.of("final_output", outcome.outputText() == null ? "" : outcome.outputText(),
                "new_items_len", after - before,
                "tool_calls", outcome.toolCalls().stream().map(c -> c.get("name")).toList(),
                "status", outcome.status().wire());
    }

    @GET
    @Path("/sdk/session/transcript")
    @RunOnVirtualThread
    public Map<String, Object> transcript(@QueryParam("session_id") String sessionId) {
        if (sessionId == null) {
            throw new DomainException.Invalid("session_id", "is required");
        }
        UUID id = Ids.parse("session_id", sessionId);
        List<Map<String, Object>> items = new ArrayList<>();
        for (StepView s : control.listSteps(user.id(), id, null, null, 10_000).steps()) {
            items.addAll(SdkItems.of(s));
        }
        return Map.of("session_id", id, "items", items, "length", items.size());
    }

    @RateLimited(RateLimitGroup.CHAT)
    @POST
    @Path("/agent/run")
    @RunOnVirtualThread
    public Map<String, Object> run(@Valid @NotNull RunBody body) throws Exception {
        String name = body.agentName() == null ? "assistant" : body.agentName();
        AgentSpec agent = agentFor(name, body.instructions(), body.model(), null);
        UUID session = body.sessionId() == null ? null : Ids.parse("session_id", body.sessionId());
        RunService.Started started = runs.chat(agent, user.id(), session, null, body.input(), Multitask.REJECT);
        RunOutcome outcome = finish(started);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("id", outcome.runId());
        result.put("session_id", outcome.sessionId());
        result.put("status", outcome.status().wire());
        result.put("output_text", outcome.outputText() == null ? "" : outcome.outputText());
        result.put("tool_calls", outcome.toolCalls());
        return result;
    }

    private RunOutcome finish(RunService.Started started) throws Exception {
        RunOutcome outcome = started.run().outcome().get(config.modelTimeout().toMillis() * config.maxSteps(), TimeUnit.MILLISECONDS);
        if (outcome.status() == dev.agentdock.session.RunStatus.ERROR) {
            throw new DomainException.UpstreamFailed(502, null, "the turn failed: " + outcome.error(), null);
        }
        return outcome;
    }

    /** The named agent with the session's instructions and model, the request's override winning. */
    private AgentSpec agentFor(String name, String instructions, String model, AgentOverride override) {
        String i = override != null && override.instructions() != null ? override.instructions() : instructions;
        String m = override != null && override.model() != null ? override.model() : model;
        models.require(override != null && override.model() != null ? "agent.model" : "model", m);
        return sessionAgents.withOverrides(name, i, m);
    }

    private String modelOf(String model) {
        return model == null ? config.defaultModel() : model;
    }
}
