package dev.agentdock.run.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.session.AgentRun;
import dev.agentdock.session.ConversationStore;
import dev.agentdock.session.RunStatus;
import dev.agentdock.common.OutageLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Follows a run from any instance, resuming after a given event: the local channel if the run executes here; the
 * Redis relay if it executes elsewhere (read until its terminal event), PostgreSQL's stored steps while the relay
 * cannot serve it (Redis down or restarted); a replay from PostgreSQL once it ended.
 * The three number events alike (see {@link RunReplay}), so an id from any of them resumes in any other.
 */
@ApplicationScoped
public class RunFollower {

    private final LiveChannels active;
    private final RunEventRelay relay;
    private final ConversationStore store;
    private final ObjectMapper json;
    private final long databasePollMillis;
    private final OutageLog relayOutage = new OutageLog("Redis (run relay, for re-joins)");
    private final Counter databasePolls;
    private final Counter stepReads;

    RunFollower(LiveChannels active, RunEventRelay relay, ConversationStore store, ObjectMapper json, RelayConfig config,
                MeterRegistry meters) {
        this.databasePolls = Counter.builder("agentdock.run.follow.database-polls")
                .description("polls of PostgreSQL by followers of runs live elsewhere while the relay cannot serve them")
                .register(meters);
        this.stepReads = Counter.builder("agentdock.run.follow.step-reads")
                .description("reads of a run's steps by followers of runs live elsewhere (only when the steps changed)")
                .register(meters);
        this.databasePollMillis = config.followDatabasePoll().toMillis();
        this.active = active;
        this.relay = relay;
        this.store = store;
        this.json = json;
    }

    public Multi<RunEvent> follow(AgentRun run, long afterSeq) {
        var local = active.channelOf(run.id);
        if (local.isPresent()) {
            return fromChannel(local.get(), afterSeq, () -> { });
        }
        if (run.status.isFinished() || run.status == RunStatus.PAUSED) {
            // PostgreSQL has all of an ended run, numbered as it was streamed: one source, whatever the relay holds
            return Multi.createFrom().iterable(RunReplay.after(run, store.stepsOfRun(run.id), afterSeq, json));
        }
        return fromElsewhere(run.id, afterSeq);
    }

    /** Whether {@code afterSeq} is the run's terminal event or later: nothing is left to send. */
    public static boolean pastTheEnd(AgentRun run, long afterSeq) {
        return (run.status.isFinished() || run.status == RunStatus.PAUSED) && run.eventSeq > 0
                && afterSeq >= run.eventSeq;
    }

    /**
     * A live channel's events after {@code afterSeq} until its terminal event; {@code onAbandon} runs if the
     * subscriber goes away before that (a client that disconnected).
     */
    static Multi<RunEvent> fromChannel(RunChannel channel, long afterSeq, Runnable onAbandon) {
        return Multi.createFrom().emitter(emitter -> {
            AtomicBoolean ended = new AtomicBoolean();
            Consumer<RunEvent> listener = e -> {
                if (ended.get()) {
                    return;
                }
                // an id from ahead of this channel (a client's guess) resumes there, not from now
                if (e.eventSeq() > afterSeq) {
                    emitter.emit(e);
                }
                if (e.type().isTerminal() && ended.compareAndSet(false, true)) {
                    emitter.complete();
                }
            };
            emitter.onTermination(() -> {
                channel.unsubscribe(listener);
                if (ended.compareAndSet(false, true)) {
                    onAbandon.run();
                }
            });
            if (!channel.subscribe(afterSeq, listener) && ended.compareAndSet(false, true)) {
                emitter.complete();
            }
        }, BackPressureStrategy.BUFFER);
    }

    /**
     * A run executing elsewhere (as far as this instance knows): its relay, or PostgreSQL while the relay cannot
     * serve it (see {@link RemoteRunFollow}).
     */
    Multi<RunEvent> fromElsewhere(UUID runId, long afterSeq) {
        return Multi.createFrom().emitter(emitter -> Thread.ofVirtual().name("follow-" + runId)
                .start(new RemoteRunFollow(runId, afterSeq, relay, store, json, relayOutage, databasePollMillis,
                        databasePolls, stepReads, emitter)::run), BackPressureStrategy.BUFFER);
    }
}
