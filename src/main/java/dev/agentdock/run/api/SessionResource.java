package dev.agentdock.run.api;

import dev.agentdock.auth.RateLimitGroup;
import dev.agentdock.auth.RateLimited;
import dev.agentdock.run.ActiveRun;
import dev.agentdock.run.events.RunEventCodec;
import dev.agentdock.run.events.RunEventSse;
import dev.agentdock.run.stop.OnDisconnect;
import dev.agentdock.run.stop.RunStops;
import io.quarkus.security.Authenticated;
import dev.agentdock.auth.CurrentUser;
import dev.agentdock.common.DomainException;
import dev.agentdock.common.Ids;
import dev.agentdock.session.AgentSession;
import dev.agentdock.session.RunView;
import dev.agentdock.session.SessionControl;
import dev.agentdock.session.StepView;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.smallrye.mutiny.Multi;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A conversation after it exists: its steps, retry, fork, branches, the next context, summary and runs. */
@Authenticated
@Path("/api/sessions/{session_id}")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    public record SequenceBody(@NotNull @Min(0) Integer sequence) {
    }

    public record ContextView(UUID sessionId, String agent, List<Map<String, Object>> messages) {
    }

    private final SessionControl control;
    private final RunService runs;
    private final ContextPreview preview;
    private final RunEventCodec codec;
    private final RunStops stops;
    private final CurrentUser user;

    SessionResource(SessionControl control, RunService runs, ContextPreview preview, RunEventCodec codec,
                    RunStops stops, CurrentUser user) {
        this.control = control;
        this.runs = runs;
        this.preview = preview;
        this.codec = codec;
        this.stops = stops;
        this.user = user;
    }

    @GET
    @Path("/steps")
    @RunOnVirtualThread
    public SessionControl.StepPage steps(@PathParam("session_id") String sessionId,
                                         @QueryParam("start_seq") @Min(1) Integer startSeq,
                                         @QueryParam("end_seq") @Min(1) Integer endSeq,
                                         @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return control.listSteps(user.id(), id(sessionId), startSeq, endSeq, limit);
    }

    @GET
    @Path("/steps/{sequence}")
    @RunOnVirtualThread
    public StepView step(@PathParam("session_id") String sessionId, @PathParam("sequence") int sequence) {
        return control.step(user.id(), id(sessionId), sequence);
    }

    @DELETE
    @Path("/steps")
    @RunOnVirtualThread
    public Map<String, Object> deleteSteps(@PathParam("session_id") String sessionId,
                                           @QueryParam("start_seq") Integer startSeq) {
        if (startSeq == null) {
            throw new DomainException.Invalid("start_seq", "is required");
        }
        return Map.of("deleted", control.deleteFrom(user.id(), id(sessionId), startSeq));
    }

    @RateLimited(RateLimitGroup.CHAT)
    @POST
    @Path("/retry")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @io.smallrye.common.annotation.Blocking
    public Multi<OutboundSseEvent> retry(@PathParam("session_id") String sessionId, @Valid @NotNull SequenceBody body,
                                         @QueryParam("on_disconnect") @DefaultValue("stop") String onDisconnect,
                                         @Context Sse sse) {
        // before the retry deletes anything: a policy we do not know is refused, not taken for "stop"
        OnDisconnect disconnect = ChatResource.parse("on_disconnect", onDisconnect, OnDisconnect.class);
        RunService.Started started = runs.retry(user.id(), id(sessionId), body.sequence(), null);
        ActiveRun run = started.run();
        return RunEventSse.stream(run.channel(), 0, sse, codec, () -> stops.clientGone(run, disconnect));
    }

    @RateLimited(RateLimitGroup.WRITES)
    @POST
    @Path("/fork")
    @Consumes(MediaType.APPLICATION_JSON)
    @RunOnVirtualThread
    public Map<String, Object> fork(@PathParam("session_id") String sessionId, @Valid @NotNull SequenceBody body) {
        return Map.of("new_session_id", control.fork(user.id(), id(sessionId), body.sequence()));
    }

    @GET
    @Path("/branches")
    @RunOnVirtualThread
    public SessionControl.Branches branches(@PathParam("session_id") String sessionId) {
        return control.branches(user.id(), id(sessionId));
    }

    @GET
    @Path("/context")
    @RunOnVirtualThread
    public ContextView context(@PathParam("session_id") String sessionId) {
        AgentSession session = control.owned(user.id(), id(sessionId));
        return preview.of(session);
    }

    @GET
    @Path("/summary")
    @RunOnVirtualThread
    public SessionControl.Summary summary(@PathParam("session_id") String sessionId) {
        return control.summary(user.id(), id(sessionId));
    }

    @GET
    @Path("/runs")
    @RunOnVirtualThread
    public List<RunView> runs(@PathParam("session_id") String sessionId) {
        return control.runs(user.id(), id(sessionId));
    }

    private static UUID id(String sessionId) {
        return Ids.parse("session_id", sessionId);
    }
}
