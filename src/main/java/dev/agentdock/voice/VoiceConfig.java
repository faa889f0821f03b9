package dev.agentdock.voice;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Voice calls the service joins: lease timing (the takeover bound is about lease-ttl + takeover-interval). */
@ConfigMapping(prefix = "agentdock.voice")
public interface VoiceConfig {

    /** How long a holder's lease on a call lasts without renewal. */
    @WithDefault("6s")
    Duration leaseTtl();

    /** How often the holder renews its leases (well below the TTL). */
    @WithDefault("2s")
    Duration leaseRenewInterval();

    /** How often every instance looks for attached calls nobody holds. */
    @WithDefault("2s")
    Duration takeoverInterval();

    /** Opening the sideband socket. */
    @WithDefault("5s")
    Duration connectTimeout();

    /**
     * The longest delay between two takeover attempts of an orphaned call whose sideband does not open (the first
     * retry comes after the takeover interval, then the delay doubles).
     */
    @WithDefault("1m")
    Duration unreachableRetryMax();

    /** An orphaned call unreachable for this long is recorded as ended ({@code unreachable}) at its next failure. */
    @WithDefault("5m")
    Duration unreachableEndAfter();

    /** How long a tool call waits for a human's approval before it is answered as refused. */
    @WithDefault("10m")
    Duration approvalTimeout();
}
