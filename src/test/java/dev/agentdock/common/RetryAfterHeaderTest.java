package dev.agentdock.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

/** How long a 429 asked us to wait, read from its headers as OpenAI sends them (ms first, then seconds). */
class RetryAfterHeaderTest {

    private static Long read(String... headers) {
        MultiMap map = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < headers.length; i += 2) {
            map.add(headers[i], headers[i + 1]);
        }
        return UpstreamHttpException.retryAfterMs(map);
    }

    @Test
    void millisecondsWinOverSecondsAndAnUnreadableValueLeavesOurOwnBackoff() {
        assertThat(read("retry-after-ms", "1500", "Retry-After", "9")).isEqualTo(1500L);
        assertThat(read("Retry-After", "2")).isEqualTo(2000L);
        assertThat(read("Retry-After", "0.5")).isEqualTo(500L);
        assertThat(read("Retry-After", "Wed, 21 Oct 2026 07:28:00 GMT")).isNull();
        assertThat(read("Retry-After", "-3")).isEqualTo(0L);
        assertThat(read()).isNull();
    }
}
