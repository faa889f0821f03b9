package dev.agentdock.voice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A held call acts only while its lease is surely still its own: from when it last asked, for less than the TTL. */
class HeldCallLeaseTest {

    @Test
    void aCallStopsActingOnceItsLastConfirmedLeaseMayHaveRunOut() {
        HeldCall call = new HeldCall("rtc_1", UUID.randomUUID(), "u");
        long asked = System.nanoTime();
        call.leaseConfirmed(asked, TimeUnit.SECONDS.toNanos(5));
        assertThat(call.leaseLapsed(asked + TimeUnit.SECONDS.toNanos(4))).isFalse();
        assertThat(call.leaseLapsed(asked + TimeUnit.SECONDS.toNanos(6))).isTrue();
        // a renewal confirmed later moves the bound from when it was asked
        call.leaseConfirmed(asked + TimeUnit.SECONDS.toNanos(2), TimeUnit.SECONDS.toNanos(5));
        assertThat(call.leaseLapsed(asked + TimeUnit.SECONDS.toNanos(6))).isFalse();
        assertThat(call.leaseLapsed(asked + TimeUnit.SECONDS.toNanos(8))).isTrue();
    }

    @Test
    void aLeaseTooShortToBeRenewedWhileTrustedIsRefusedAtStart() {
        AttachedCalls.checkLeaseTiming(config(Duration.ofSeconds(6), Duration.ofSeconds(2)));
        assertThatThrownBy(() -> AttachedCalls.checkLeaseTiming(config(Duration.ofMillis(2400), Duration.ofSeconds(2))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("agentdock.voice.lease-ttl");
        assertThatThrownBy(() -> AttachedCalls.checkLeaseTiming(config(Duration.ofSeconds(1), Duration.ofSeconds(2))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static VoiceConfig config(Duration ttl, Duration renewEvery) {
        return (VoiceConfig) Proxy.newProxyInstance(VoiceConfig.class.getClassLoader(), new Class<?>[] {VoiceConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "leaseTtl" -> ttl;
                    case "leaseRenewInterval" -> renewEvery;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
