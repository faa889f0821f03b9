package dev.agentdock.run.events;

import java.util.Optional;
import java.util.UUID;

/** The channels of the runs executing on this instance, by run id: what a follower of a local run reads. */
public interface LiveChannels {

    Optional<RunChannel> channelOf(UUID runId);
}
