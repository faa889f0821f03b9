package dev.agentdock.common;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Types a native image must keep reflective access to that Quarkus cannot see on its own: what the service turns
 * into JSON with its own {@code ObjectMapper} (run events, socket frames, problems written outside JAX-RS) rather
 * than as a resource's return type, and the tool beans whose {@code @Tool} methods {@code ToolRegistry} reads
 * and invokes reflectively. Types of resource signatures are registered by Quarkus REST itself.
 */
@RegisterForReflection(targets = {
        Problem.class,
        dev.agentdock.run.events.RunEvent.class,
        dev.agentdock.run.events.RunEvent.Stamp.class,
        dev.agentdock.run.events.RunEvent.Usage.class,
        dev.agentdock.run.events.RunEvent.PendingCall.class,
        dev.agentdock.run.events.RunEvent.Delta.class,
        dev.agentdock.run.events.RunEvent.Guardrail.class,
        dev.agentdock.run.events.RunEvent.RunStarted.class,
        dev.agentdock.run.events.RunEvent.StepStarted.class,
        dev.agentdock.run.events.RunEvent.StepDelta.class,
        dev.agentdock.run.events.RunEvent.ToolCallStarted.class,
        dev.agentdock.run.events.RunEvent.ToolCallCompleted.class,
        dev.agentdock.run.events.RunEvent.StepCompleted.class,
        dev.agentdock.run.events.RunEvent.RunCompleted.class,
        dev.agentdock.run.events.RunEvent.RunCancelled.class,
        dev.agentdock.run.events.RunEvent.RunFailed.class,
        dev.agentdock.run.events.RunEvent.RunPaused.class,
        dev.agentdock.run.events.RunEvent.RunQueued.class,
        dev.agentdock.run.events.RunEvent.GuardrailTripped.class,
        dev.agentdock.session.StepView.class,
        dev.agentdock.session.StepView.Metrics.class,
        // its @JsonValue wire name is found reflectively; without it a native image would write STEP_DELTA
        dev.agentdock.run.events.RunEventType.class,
        dev.agentdock.orchestration.ServerMessage.Event.class,
        dev.agentdock.orchestration.ServerMessage.Error.class,
        dev.agentdock.orchestration.ServerMessage.Status.class,
        dev.agentdock.orchestration.ServerMessage.Pong.class,
        dev.agentdock.orchestration.ServerMessage.Authenticated.class,
        dev.agentdock.tool.ToolResult.class,
        dev.agentdock.tool.BuiltinTools.class,
        dev.agentdock.tool.DraftTools.class,
        dev.agentdock.tool.ProjectTools.class,
        dev.agentdock.tool.scenario.RetailTools.class,
        dev.agentdock.tool.scenario.EscalationTools.class,
        dev.agentdock.tool.scenario.SupervisorTools.class,
})
final class NativeReflection {

    private NativeReflection() {
    }
}
