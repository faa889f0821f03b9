package dev.agentdock.run.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A re-join racing a run that emits at full speed still gets the events after its id exactly once, in order. */
class RunChannelOrderTest {

    private static final int EVENTS = 3_000;
    private static final int SUBSCRIBERS = 8;

    @Test
    void subscribersJoiningWhileEventsFlowGetEveryLaterEventInOrder() throws Exception {
        // Mutiny's context propagation initialises itself once; outside Quarkus that must not race
        RunFollower.fromChannel(new RunChannel(UUID.randomUUID(), UUID.randomUUID()), 0, () -> { });
        for (int round = 0; round < 150; round++) {
            RunChannel channel = new RunChannel(UUID.randomUUID(), UUID.randomUUID());
            CountDownLatch go = new CountDownLatch(1);
            Thread producer = Thread.ofPlatform().start(() -> {
                await(go);
                for (int i = 1; i < EVENTS; i++) {
                    channel.emit(RunReplay.textDelta(1, "x"));
                }
                channel.emit(RunEnd.of(dev.agentdock.session.RunStatus.COMPLETED, 1, null, "", null));
            });
            List<Thread> joiners = new ArrayList<>();
            List<List<Long>> received = new ArrayList<>();
            List<Long> from = new ArrayList<>();
            for (int s = 0; s < SUBSCRIBERS; s++) {
                List<Long> got = new ArrayList<>();
                received.add(got);
                long after = ThreadLocalRandom.current().nextLong(EVENTS / 2);
                from.add(after);
                joiners.add(Thread.ofPlatform().start(() -> {
                    await(go);
                    // join at a moment of the stream that depends on scheduling, as a client's re-join does
                    long until = channel.lastSeq() + ThreadLocalRandom.current().nextInt(200);
                    while (channel.lastSeq() < until && !channel.isClosed()) {
                        Thread.onSpinWait();
                    }
                    RunFollower.fromChannel(channel, after, () -> { }).subscribe().asStream()
                            .forEach(e -> got.add(e.eventSeq()));
                }));
            }
            go.countDown();
            producer.join(TimeUnit.SECONDS.toMillis(20));
            for (Thread t : joiners) {
                t.join(TimeUnit.SECONDS.toMillis(20));
            }
            for (int s = 0; s < SUBSCRIBERS; s++) {
                long after = from.get(s);
                List<Long> expected = java.util.stream.LongStream.rangeClosed(after + 1, EVENTS).boxed().toList();
                List<Long> got = received.get(s);
                assertThat(got).as("round %d, subscriber after %d: %d events from %s", round, after, got.size(),
                        got.isEmpty() ? "-" : got.getFirst()).isEqualTo(expected);
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
