package dev.agentdock.run.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentdock.run.model.UpstreamFailure;
import dev.agentdock.common.UpstreamHttpException;
import org.junit.jupiter.api.Test;

/** A 429's Retry-After decides the wait before its retry, up to a cap; without one, our own backoff does. */
class RateLimitRetryAfterTest {

    @Test
    void theUpstreamsRetryAfterIsReadFromItsErrorAndHonouredUpToTheCap() {
        UpstreamFailure asked = UpstreamFailure.from(new RuntimeException(new UpstreamHttpException(429, "slow down", 1500L)));
        assertThat(asked.status()).isEqualTo(429);
        assertThat(asked.retryAfterMs()).isEqualTo(1500L);
        assertThat(ModelStepRunner.waitBefore(asked, 250, 10_000)).isEqualTo(1500);
        assertThat(ModelStepRunner.waitBefore(asked, 250, 1_000)).as("capped").isEqualTo(1000);

        UpstreamFailure silent = UpstreamFailure.from(new UpstreamHttpException(429, "slow down", null));
        assertThat(silent.retryAfterMs()).isNull();
        assertThat(ModelStepRunner.waitBefore(silent, 250, 10_000)).isEqualTo(250);
    }
}
