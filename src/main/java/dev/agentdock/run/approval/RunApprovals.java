package dev.agentdock.run.approval;

import dev.agentdock.agent.AgentSpec;
import dev.agentdock.agent.SessionAgents;
import dev.agentdock.common.DomainException;
import dev.agentdock.common.InstanceIdentity;
import dev.agentdock.run.loop.StepContextBuilder;
import dev.agentdock.run.loop.TurnEngine;
import dev.agentdock.run.stop.RunDrain;
import dev.agentdock.session.AgentRun;
import dev.agentdock.session.AgentSession;
import dev.agentdock.session.RunStatus;
import dev.agentdock.session.SessionControl;
import dev.agentdock.session.Step;
import dev.agentdock.session.StepRepository;
import dev.agentdock.session.StepRole;
import dev.agentdock.session.RunRepository;
import dev.agentdock.tool.ToolCallContext;
import dev.agentdock.tool.ToolResult;
import dev.agentdock.tool.ToolRunner;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Human decisions on tool calls of paused runs. Everything lives in PostgreSQL, so any instance can take the
 * decision, even after the one that ran the model is gone. The run row is locked while a decision is recorded;
 * the last decision resumes the run here.
 */
@ApplicationScoped
public class RunApprovals {

    public record Decision(UUID runId, String toolCallId, boolean approved, boolean resumed, List<String> stillPending) {
    }

    private final SessionControl control;
    private final RunRepository runs;
    private final StepRepository steps;
    private final StepContextBuilder contexts;
    private final ToolRunner tools;
    private final SessionAgents agents;
    private final TurnEngine engine;
    private final InstanceIdentity instance;
    private final RunDrain drain;

    RunApprovals(SessionControl control, RunRepository runs, StepRepository steps, StepContextBuilder contexts,
                 ToolRunner tools, SessionAgents agents, TurnEngine engine, InstanceIdentity instance, RunDrain drain) {
        this.drain = drain;
        this.control = control;
        this.runs = runs;
        this.steps = steps;
        this.contexts = contexts;
        this.tools = tools;
        this.agents = agents;
        this.engine = engine;
        this.instance = instance;
    }

    public Decision decide(String userId, UUID runId, ApprovalBody body) {
        if (drain.draining()) {
            // the decision would resume the run here, just as this instance goes away
            throw new DomainException.Unavailable("this instance is shutting down; send the decision again");
        }
        AgentRun owned = control.ownedRun(userId, runId);
        AgentSession session = control.owned(userId, owned.sessionId);
        AgentSpec agent = agents.forRun(session, owned.agentName)
                .orElseThrow(() -> new DomainException.NotFound("agent", owned.agentName));
        record Recorded(boolean resume, List<String> pending, List<ToolExecutionRequest> undecided, AgentRun run) {
        }
        Recorded recorded = QuarkusTransaction.requiringNew().call(() -> {
            AgentRun run = runs.findById(runId, LockModeType.PESSIMISTIC_WRITE);
            if (run.status != RunStatus.PAUSED) {
                throw new DomainException.Conflict("run-not-paused", "run " + runId + " is " + run.status.wire()
                        + ", not paused for approval");
            }
            Step asking = steps.find("runId = ?1 and role = ?2 order by sequence desc", runId, StepRole.ASSISTANT).firstResult();
            List<ToolExecutionRequest> calls = asking == null ? List.of() : contexts.toolCalls(asking.toolCalls);
            Set<String> answered = steps.find("sessionId = ?1 and role = ?2 and sequence > ?3", run.sessionId,
                    StepRole.TOOL, asking == null ? 0 : asking.sequence).stream().map(s -> s.toolCallId).collect(Collectors.toSet());
            ToolExecutionRequest call = calls.stream()
                    .filter(c -> c.id().equals(body.toolCallId()) && agent.approvalTools().contains(c.name()))
                    .findFirst().orElseThrow(() -> new DomainException.Conflict("tool-call-not-pending",
                            "tool call " + body.toolCallId() + " is not waiting for approval in run " + runId));
            if (answered.contains(call.id())) {
                throw new DomainException.Conflict("tool-call-decided", "tool call " + call.id() + " was already decided");
            }
            recordDecision(run, session, call, body, steps.maxSequence(run.sessionId) + 1);
            answered.add(call.id());
            List<ToolExecutionRequest> open = calls.stream().filter(c -> !answered.contains(c.id())).toList();
            List<String> pending = open.stream().filter(c -> agent.approvalTools().contains(c.name()))
                    .map(ToolExecutionRequest::id).toList();
            if (!pending.isEmpty()) {
                return new Recorded(false, pending, List.of(), run);
            }
            run.status = RunStatus.RUNNING;
            run.instanceId = instance.id();
            run.heartbeatAt = OffsetDateTime.now(ZoneOffset.UTC);
            return new Recorded(true, List.of(), open, run);
        });
        if (recorded.resume()) {
            engine.resume(recorded.run(), agent, userId, recorded.undecided());
        }
        return new Decision(runId, body.toolCallId(), body.approved(), recorded.resume(), recorded.pending());
    }

    private void recordDecision(AgentRun run, AgentSession session, ToolExecutionRequest call, ApprovalBody body, int sequence) {
        Step step = new Step();
        step.sessionId = run.sessionId;
        step.runId = run.id;
        step.sequence = sequence;
        step.role = StepRole.TOOL;
        step.toolCallId = call.id();
        step.toolName = call.name();
        step.name = call.name();
        step.completedAt = OffsetDateTime.now(ZoneOffset.UTC);
        if (!body.approved()) {
            step.toolArguments = call.arguments();
            step.content = "REJECTED: the user declined to run this tool call.";
            step.error = "rejected by the user";
        } else {
            String arguments = body.arguments() == null || body.arguments().isNull() ? call.arguments() : body.arguments().toString();
            ToolResult result = tools.run(call.id(), call.name(), arguments, null, new ToolCallContext(session.userId, run.sessionId, run.id));
            step.toolArguments = result.ok() || arguments == null ? safeJson(arguments) : null;
            step.content = result.modelText();
            step.error = result.ok() ? null : result.error();
            step.toolExecTimeMs = result.durationMs();
            step.durationMs = result.durationMs();
        }
        steps.save(step);
    }

    private static String safeJson(String arguments) {
        try {
            return arguments == null ? null : new com.fasterxml.jackson.databind.ObjectMapper().readTree(arguments).toString();
        } catch (Exception e) {
            return null;
        }
    }

    public static Map<String, Object> view(Decision d) {
        return Map.of("run_id", d.runId(), "tool_call_id", d.toolCallId(), "approved", d.approved(),
                "resumed", d.resumed(), "pending_tool_calls", d.stillPending());
    }
}
