package dev.agentdock.run.api;

import dev.agentdock.run.approval.ApprovalBody;
import dev.agentdock.run.approval.RunApprovals;
import dev.agentdock.run.events.RunEventCodec;
import dev.agentdock.run.events.RunEventSse;
import dev.agentdock.run.events.RunFollower;
import io.quarkus.security.Authenticated;
import dev.agentdock.auth.CurrentUser;
import dev.agentdock.common.DomainException;
import dev.agentdock.common.Ids;
import dev.agentdock.session.AgentRun;
import dev.agentdock.session.RunView;
import dev.agentdock.session.SessionControl;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.Map;
import java.util.UUID;

/** Runs by id: status, cancel, and re-joining the event stream from any instance. */
@Authenticated
@Path("/api/runs/{run_id}")
public class RunResource {

    private final SessionControl control;
    private final RunService runs;
    private final RunFollower follower;
    private final RunEventCodec codec;
    private final CurrentUser user;
    private final RunApprovals approvals;

    RunResource(SessionControl control, RunService runs, RunFollower follower, RunEventCodec codec, CurrentUser user,
                RunApprovals approvals) {
        this.approvals = approvals;
        this.control = control;
        this.runs = runs;
        this.follower = follower;
        this.codec = codec;
        this.user = user;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RunOnVirtualThread
    public RunView get(@PathParam("run_id") String runId) {
        return RunView.of(control.ownedRun(user.id(), Ids.parse("run_id", runId)));
    }

    @POST
    @Path("/cancel")
    @Produces(MediaType.APPLICATION_JSON)
    @RunOnVirtualThread
    public Response cancel(@PathParam("run_id") String runId) {
        AgentRun run = control.ownedRun(user.id(), Ids.parse("run_id", runId));
        if (run.status.isFinished()) {
            throw new DomainException.Conflict("run-finished", "run " + run.id + " already ended (" + run.status.wire() + ")");
        }
        return Response.accepted(runs.stop(user.id(), run.sessionId, run.id).view()).build();
    }

    @POST
    @Path("/approve")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RunOnVirtualThread
    public Map<String, Object> approve(@PathParam("run_id") String runId,
                                       @jakarta.validation.Valid @jakarta.validation.constraints.NotNull ApprovalBody body) {
        return RunApprovals.view(approvals.decide(user.id(), Ids.parse("run_id", runId), body));
    }

    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @io.smallrye.common.annotation.Blocking
    public Multi<OutboundSseEvent> stream(@PathParam("run_id") String runId,
                                          @HeaderParam("Last-Event-ID") String lastEventId,
                                          @QueryParam("after") Long after, @Context Sse sse) {
        AgentRun run = control.ownedRun(user.id(), Ids.parse("run_id", runId));
        long afterSeq = resumePoint(run.id, lastEventId, after);
        if (RunFollower.pastTheEnd(run, afterSeq)) {
            // an EventSource coming back after the terminal event: 204 tells it to stop reconnecting
            throw new jakarta.ws.rs.WebApplicationException(Response.noContent().build());
        }
        return RunEventSse.frames(follower.follow(run, afterSeq), sse, codec);
    }

    /** {@code Last-Event-ID: <run_id>:<seq>} (or a bare seq), else {@code ?after=}, else from the start. */
    static long resumePoint(UUID runId, String lastEventId, Long after) {
        if (lastEventId != null && !lastEventId.isBlank()) {
            String[] parts = lastEventId.trim().split(":");
            try {
                if (parts.length == 2 && !parts[0].equals(runId.toString())) {
                    throw new DomainException.Invalid("Last-Event-ID", "belongs to another run");
                }
                long seq = Long.parseLong(parts[parts.length - 1]);
                if (seq < 0) {
                    throw new NumberFormatException();
                }
                return seq;
            } catch (NumberFormatException e) {
                throw new DomainException.Invalid("Last-Event-ID", "must be <run_id>:<event_seq>");
            }
        }
        if (after != null && after < 0) {
            throw new DomainException.Invalid("after", "must be 0 or more");
        }
        return after == null ? 0 : after;
    }
}
