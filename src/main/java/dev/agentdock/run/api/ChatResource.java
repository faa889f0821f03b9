package dev.agentdock.run.api;

import dev.agentdock.auth.RateLimitGroup;
import dev.agentdock.auth.RateLimited;
import dev.agentdock.run.ActiveRun;
import dev.agentdock.run.Multitask;
import dev.agentdock.run.RunConfig;
import dev.agentdock.run.RunOutcome;
import dev.agentdock.run.events.RunChannel;
import dev.agentdock.run.events.RunEnd;
import dev.agentdock.run.events.RunEventCodec;
import dev.agentdock.run.events.RunEventSse;
import dev.agentdock.run.stop.OnDisconnect;
import dev.agentdock.run.stop.RunStops;
import io.quarkus.security.Authenticated;
import dev.agentdock.auth.CurrentUser;
import dev.agentdock.common.DomainException;
import dev.agentdock.common.Ids;
import dev.agentdock.session.SessionQueries;
import dev.agentdock.session.SessionView;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.smallrye.mutiny.Multi;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Agent turns: stream one (SSE) or run one to its end (JSON), stop one, and list the caller's sessions. */
@Authenticated
@Path("/api/agents/{agent}")
public class ChatResource {

    /** An agent name in a path: printable, and short enough for its column. */
    static final String AGENT_NAME = "[^\\u0000-\\u001f\\u007f]{1,200}";

    private final RunService runs;
    private final SessionQueries sessions;
    private final RunEventCodec codec;
    private final RunStops stops;
    private final CurrentUser user;
    private final RunConfig config;

    ChatResource(RunService runs, SessionQueries sessions, RunEventCodec codec, RunStops stops, CurrentUser user,
                 RunConfig config) {
        this.runs = runs;
        this.sessions = sessions;
        this.codec = codec;
        this.stops = stops;
        this.user = user;
        this.config = config;
    }

    @RateLimited(RateLimitGroup.CHAT)
    @POST
    @Path("/chat")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @io.smallrye.common.annotation.Blocking
    public Multi<OutboundSseEvent> chatStream(@PathParam("agent") @Pattern(regexp = AGENT_NAME, message = "must be 1 to 200 printable characters") String agent, @Valid @NotNull ChatRequestBody body,
                                              @QueryParam("on_disconnect") @DefaultValue("stop") String onDisconnect,
                                              @QueryParam("multitask") @DefaultValue("reject") String multitask,
                                              @Context Sse sse) {
        OnDisconnect disconnect = parse("on_disconnect", onDisconnect, OnDisconnect.class);
        RunService.Started started = start(agent, body, multitask);
        if (started.queued()) {
            // numbered 0: the run's own events, once it starts, are 1 and on, and Last-Event-ID <run>:0 misses none
            RunChannel notice = new RunChannel(started.runId(), started.sessionId(), -1);
            notice.emit(RunEnd.queued());
            return RunEventSse.stream(notice, -1, sse, codec, () -> { });
        }
        ActiveRun run = started.run();
        return RunEventSse.stream(run.channel(), 0, sse, codec, () -> stops.clientGone(run, disconnect));
    }

    @RateLimited(RateLimitGroup.CHAT)
    @POST
    @Path("/chat")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RunOnVirtualThread
    public Response chatJson(@PathParam("agent") @Pattern(regexp = AGENT_NAME, message = "must be 1 to 200 printable characters") String agent, @Valid @NotNull ChatRequestBody body,
                             @QueryParam("multitask") @DefaultValue("reject") String multitask) {
        RunService.Started started = start(agent, body, multitask);
        if (started.queued()) {
            return Response.accepted(Map.of("run_id", started.runId(), "session_id", started.sessionId(),
                    "status", "pending")).build();
        }
        try {
            RunOutcome outcome = started.run().outcome().get(config.modelTimeout().toMillis() * config.maxSteps(),
                    TimeUnit.MILLISECONDS);
            return Response.ok(outcome).build();
        } catch (TimeoutException e) {
            throw new DomainException.UpstreamFailed(504, null, "the run did not finish in time; it goes on as run "
                    + started.runId(), e);
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    @POST
    @Path("/stop")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RunOnVirtualThread
    public Response stop(@PathParam("agent") @Pattern(regexp = AGENT_NAME, message = "must be 1 to 200 printable characters") String agent, @Valid @NotNull StopRequestBody body) {
        RunService.StopRequested stop = runs.stop(user.id(), Ids.parse("session_id", body.sessionId()),
                body.runId() == null ? null : Ids.parse("run_id", body.runId()));
        return Response.accepted(stop.view()).build();
    }

    @GET
    @Path("/sessions")
    @Produces(MediaType.APPLICATION_JSON)
    @RunOnVirtualThread
    public List<SessionView> listSessions(@PathParam("agent") @Pattern(regexp = AGENT_NAME, message = "must be 1 to 200 printable characters") String agent,
                                          @QueryParam("page") @DefaultValue("0") @Min(0) int page,
                                          @QueryParam("size") @DefaultValue("20") @Min(1) @Max(100) int size) {
        return sessions.listForAgent(user.id(), agent, page, size);
    }

    @GET
    @Path("/sessions/{session_id}")
    @Produces(MediaType.APPLICATION_JSON)
    @RunOnVirtualThread
    public SessionQueries.SessionDetail session(@PathParam("agent") @Pattern(regexp = AGENT_NAME, message = "must be 1 to 200 printable characters") String agent,
                                                @PathParam("session_id") String sessionId) {
        return sessions.detail(user.id(), Ids.parse("session_id", sessionId));
    }

    private RunService.Started start(String agent, ChatRequestBody body, String multitask) {
        return runs.chat(agent, user.id(),
                body.sessionId() == null ? null : Ids.parse("session_id", body.sessionId()),
                body.runId() == null ? null : Ids.parse("run_id", body.runId()),
                body.message(), parse("multitask", multitask, Multitask.class));
    }

    /** A query parameter naming one of {@code type}'s constants (any case), else a 422 naming the field. */
    static <E extends Enum<E>> E parse(String field, String value, Class<E> type) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new DomainException.Invalid(field, "must be one of " + java.util.Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase()).toList());
        }
    }
}
