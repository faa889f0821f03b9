package dev.agentdock.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.session.AgentRun;
import dev.agentdock.session.ConversationStore;
import dev.agentdock.session.RunStatus;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Follows a run from any instance, resuming after a given event: the local channel if the run executes here; the
 * Redis relay if it executes elsewhere (read until its terminal event); a replay from PostgreSQL once it ended.
 * The three number events alike (see {@link RunReplay}), so an id from any of them resumes in any other.
 */
@ApplicationScoped
public class RunFollower {

    private static final long POLL_MILLIS = 25;

    private final ActiveRuns active;
    private final RunEventRelay relay;
    private final ConversationStore store;
    private final ObjectMapper json;

    RunFollower(ActiveRuns active, RunEventRelay relay, ConversationStore store, ObjectMapper json) {
        this.active = active;
        this.relay = relay;
        this.store = store;
        this.json = json;
    }

    public Multi<RunEvent> follow(AgentRun run, long afterSeq) {
        var local = active.find(run.id);
        if (local.isPresent()) {
            return fromChannel(local.get().channel(), afterSeq, () -> { });
        }
        if (run.status.isFinished() || run.status == RunStatus.PAUSED) {
            // PostgreSQL has all of an ended run, numbered as it was streamed: one source, whatever the relay holds
            return Multi.createFrom().iterable(RunReplay.after(run, store.stepsOfRun(run.id), afterSeq, json));
        }
        return fromRelay(run.id, afterSeq);
    }

    /** Whether {@code afterSeq} is the run's terminal event or later: nothing is left to send. */
    public static boolean pastTheEnd(AgentRun run, long afterSeq) {
        return (run.status.isFinished() || run.status == RunStatus.PAUSED) && run.eventSeq > 0
                && afterSeq >= run.eventSeq;
    }

    /** A pause is the end of a stream only while the run is still paused: an approval continues it. */
    private boolean resumedSince(RunEvent event, List<RunEvent> batch) {
        if (event.type() != RunEventType.RUN_PAUSED) {
            return false;
        }
        if (batch.getLast() != event) {
            return true;
        }
        return store.currentStatus(event.runId()).map(s -> s != RunStatus.PAUSED).orElse(false);
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

    private Multi<RunEvent> fromRelay(UUID runId, long afterSeq) {
        return Multi.createFrom().emitter(emitter -> Thread.ofVirtual().name("follow-" + runId)
                .start(() -> pollRelay(runId, afterSeq, emitter)), BackPressureStrategy.BUFFER);
    }

    private void endFromDatabase(AgentRun run, long last, MultiEmitter<? super RunEvent> emitter) {
        List<RunEvent> rest = RunReplay.after(run, store.stepsOfRun(run.id), last, json);
        rest.forEach(emitter::emit);
        if (rest.isEmpty() || !rest.getLast().type().isTerminal()) {
            // the database does not know the end's number (the run was swept after its instance died): the
            // client still learns how the run ended, once
            RunEvent end = RunReplay.after(run, List.of(), 0, json).getLast();
            emitter.emit(new RunEvent(end.type(), end.runId(), end.sessionId(), last + 1, end.ts(), end.fields()));
        }
    }

    private void pollRelay(UUID runId, long afterSeq, MultiEmitter<? super RunEvent> emitter) {
        long last = afterSeq;
        int idlePolls = 0;
        try {
            while (!emitter.isCancelled()) {
                List<RunEvent> batch = relay.readAfter(runId, last, 500);
                for (RunEvent e : batch) {
                    emitter.emit(e);
                    last = e.eventSeq();
                    if (e.type().isTerminal() && !resumedSince(e, batch)) {
                        emitter.complete();
                        return;
                    }
                }
                idlePolls = batch.isEmpty() ? idlePolls + 1 : 0;
                // A run that ended without its end reaching the relay (yet, or ever: its instance died) ends here
                // from the database, with the same numbers.
                if (idlePolls > 0 && idlePolls % 40 == 0) {
                    AgentRun now = store.findRun(runId).orElse(null);
                    if (now == null || now.status.isFinished()) {
                        if (now != null) {
                            endFromDatabase(now, last, emitter);
                        }
                        emitter.complete();
                        return;
                    }
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            emitter.complete();
        } catch (RuntimeException e) {
            Log.warnf("following run %s failed: %s", runId, e.getMessage());
            emitter.fail(e);
        }
    }
}
