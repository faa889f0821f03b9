package dev.agentdock.run.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdock.common.OutageLog;
import dev.agentdock.session.AgentRun;
import dev.agentdock.session.ConversationStore;
import dev.agentdock.session.RunStatus;
import io.micrometer.core.instrument.Counter;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.util.List;
import java.util.UUID;

/**
 * Follows a run that executes on another instance, from its Redis relay while that holds every event after the
 * last one sent; otherwise (Redis down, or restarted and forgot what was relayed meanwhile) from PostgreSQL: the
 * stored steps after the last id sent, read every {@code follow-database-poll}, numbered as live (see
 * {@link RunReplay}) and without an end while the run row is live, until the run ends there (its terminal event,
 * including the sweep's end of a run whose instance died) or the relay holds the event after the last one sent
 * again. One thread per follower; each event is sent once, in order. A database poll reads the run's row and a
 * version of its steps, and the steps themselves only when that version moved: a live run that is quiet (a slow
 * model, a long tool call) costs no step reads while it is.
 */
final class RemoteRunFollow {

    /** How often the relay is read while it serves (a run's writer batches every 50 ms). */
    private static final long RELAY_POLL_MILLIS = 25;

    /** Empty relay reads after which the run row is checked for an end that never reached the relay. */
    private static final int IDLE_POLLS_PER_CHECK = 40;

    private final UUID runId;
    private final RunEventRelay relay;
    private final ConversationStore store;
    private final ObjectMapper json;
    private final OutageLog relayOutage;
    private final long databasePollMillis;
    private final MultiEmitter<? super RunEvent> emitter;
    private long last;
    private boolean fromRelay = true;
    private int idlePolls;
    /** The version of the run's steps last read from PostgreSQL; null: read them at the next database poll. */
    private String stepsVersion;
    private final Counter databasePolls;
    private final Counter stepReads;

    RemoteRunFollow(UUID runId, long afterSeq, RunEventRelay relay, ConversationStore store, ObjectMapper json,
                    OutageLog relayOutage, long databasePollMillis, Counter databasePolls, Counter stepReads,
                    MultiEmitter<? super RunEvent> emitter) {
        this.databasePolls = databasePolls;
        this.stepReads = stepReads;
        this.runId = runId;
        this.last = afterSeq;
        this.relay = relay;
        this.store = store;
        this.json = json;
        this.relayOutage = relayOutage;
        this.databasePollMillis = databasePollMillis;
        this.emitter = emitter;
    }

    void run() {
        try {
            while (!emitter.isCancelled()) {
                boolean ended = fromRelay ? relayPoll() : databasePoll();
                if (ended) {
                    emitter.complete();
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            emitter.complete();
        } catch (RuntimeException e) {
            Log.warnf("following run %s failed: %s", runId, e.getMessage());
            emitter.fail(e);
        }
    }

    /** One read of the relay; answers whether the stream ended. */
    private boolean relayPoll() throws InterruptedException {
        List<RunEvent> batch;
        try {
            batch = relay.readAfter(runId, last, 500);
            relayOutage.succeeded();
        } catch (RuntimeException e) {
            relayOutage.failed("re-joins of runs executing elsewhere read PostgreSQL: " + e.getMessage());
            toDatabase("the relay is unavailable");
            return false;
        }
        if (!batch.isEmpty() && batch.getFirst().eventSeq() > last + 1) {
            // events relayed while Redis was down (or before it restarted) are not there: PostgreSQL has them
            toDatabase("the relay lacks events " + (last + 1) + ".." + (batch.getFirst().eventSeq() - 1));
            return false;
        }
        for (RunEvent e : batch) {
            emitter.emit(e);
            last = e.eventSeq();
            if (e.type().isTerminal() && !resumedSince(e, batch)) {
                return true;
            }
        }
        idlePolls = batch.isEmpty() ? idlePolls + 1 : 0;
        // A run that ended without its end reaching the relay (yet, or ever: its instance died) ends here from the
        // database, with the same numbers.
        if (idlePolls > 0 && idlePolls % IDLE_POLLS_PER_CHECK == 0) {
            AgentRun now = store.findRun(runId).orElse(null);
            if (now == null) {
                return true;
            }
            if (now.status.isFinished()) {
                endFromDatabase(now);
                return true;
            }
        }
        Thread.sleep(RELAY_POLL_MILLIS);
        return false;
    }

    /** One read of the run's row and steps; answers whether the stream ended. */
    private boolean databasePoll() throws InterruptedException {
        databasePolls.increment();
        AgentRun now = store.findRun(runId).orElse(null);
        if (now == null) {
            return true;
        }
        if (now.status.isFinished() || now.status == RunStatus.PAUSED) {
            endFromDatabase(now);
            return true;
        }
        if (now.status == RunStatus.RUNNING) {
            // the version first: a step written between the two reads is read now and again at the next poll
            String version = store.stepsVersion(runId);
            if (!version.equals(stepsVersion)) {
                List<RunEvent> events = RunReplay.after(now, stepsOf(runId), last, json);
                // the last one is the end the row's status would imply; a running run has none yet
                for (RunEvent e : events.subList(0, Math.max(0, events.size() - 1))) {
                    emitter.emit(e);
                    last = e.eventSeq();
                }
                stepsVersion = version;
            }
        }
        if (relayHoldsNext()) {
            Log.debugf("following run %s: back on the relay after event %d", runId, last);
            fromRelay = true;
            idlePolls = 0;
            return false;
        }
        Thread.sleep(databasePollMillis);
        return false;
    }

    /** Whether the relay answers and holds event {@code last + 1} or {@code last}, so it continues without a gap. */
    private boolean relayHoldsNext() {
        try {
            List<RunEvent> first = relay.readAfter(runId, last - 1, 1);
            relayOutage.succeeded();
            return !first.isEmpty() && first.getFirst().eventSeq() <= last + 1;
        } catch (RuntimeException e) {
            relayOutage.failed("re-joins of runs executing elsewhere read PostgreSQL: " + e.getMessage());
            return false;
        }
    }

    private void toDatabase(String why) {
        Log.debugf("following run %s from PostgreSQL after event %d: %s", runId, last, why);
        fromRelay = false;
        stepsVersion = null;
    }

    private List<dev.agentdock.session.Step> stepsOf(UUID run) {
        stepReads.increment();
        return store.stepsOfRun(run);
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

    private void endFromDatabase(AgentRun run) {
        List<RunEvent> rest = RunReplay.after(run, stepsOf(run.id), last, json);
        rest.forEach(emitter::emit);
        if (rest.isEmpty() || !rest.getLast().type().isTerminal()) {
            // the database does not know the end's number (the run was swept after its instance died): the
            // client still learns how the run ended, once
            emitter.emit(RunReplay.terminal(run, store.stepsOfRun(run.id), last + 1));
        }
    }
}
