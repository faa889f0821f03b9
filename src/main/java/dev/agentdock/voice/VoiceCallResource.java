package dev.agentdock.voice;

import dev.agentdock.auth.CurrentUser;
import dev.agentdock.common.Ids;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/**
 * {@code /api/sessions/{id}/realtime/call(s)}: the service joins the session's voice call — one the browser reports,
 * or one it creates from the browser's SDP offer — and lists and decides approval tools of the call.
 */
@Authenticated
@Path("/api/sessions/{session_id}/realtime")
public class VoiceCallResource {

    public static final String SDP = "application/sdp";

    public record AttachBody(@NotBlank String callId) {
    }

    public record ApproveBody(@NotBlank String toolCallId, @NotNull Boolean approved) {
    }

    private final VoiceCalls calls;
    private final VoiceApprovals approvals;
    private final CurrentUser user;

    VoiceCallResource(VoiceCalls calls, VoiceApprovals approvals, CurrentUser user) {
        this.calls = calls;
        this.approvals = approvals;
        this.user = user;
    }

    @POST
    @Path("/call")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RunOnVirtualThread
    public VoiceCalls.CallView attach(@PathParam("session_id") String sessionId, @Valid @NotNull AttachBody body) {
        return calls.attach(user.id(), Ids.parse("session_id", sessionId), body.callId());
    }

    @POST
    @Path("/calls")
    @Consumes(SDP)
    @Produces(SDP)
    @RunOnVirtualThread
    public Response create(@PathParam("session_id") String sessionId, String offer) {
        VoiceCalls.Created created = calls.create(user.id(), Ids.parse("session_id", sessionId), offer);
        return Response.created(URI.create("/api/sessions/" + sessionId + "/realtime/calls/" + created.call().callId()))
                .type(SDP).entity(created.answer()).build();
    }

    @GET
    @Path("/calls/{call_id}")
    @Produces(MediaType.APPLICATION_JSON)
    @RunOnVirtualThread
    public VoiceCalls.CallView get(@PathParam("session_id") String sessionId, @PathParam("call_id") String callId) {
        return calls.view(user.id(), Ids.parse("session_id", sessionId), callId);
    }

    @GET
    @Path("/approvals")
    @Produces(MediaType.APPLICATION_JSON)
    @RunOnVirtualThread
    public VoiceApprovals.PendingList approvals(@PathParam("session_id") String sessionId) {
        return approvals.pending(user.id(), Ids.parse("session_id", sessionId));
    }

    @POST
    @Path("/calls/{call_id}/approve")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RunOnVirtualThread
    public VoiceApprovals.Decision approve(@PathParam("session_id") String sessionId, @PathParam("call_id") String callId,
                                           @Valid @NotNull ApproveBody body) {
        return approvals.decide(user.id(), Ids.parse("session_id", sessionId), callId, body.toolCallId(), body.approved());
    }
}
