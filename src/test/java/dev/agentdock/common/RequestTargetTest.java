package dev.agentdock.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link HttpGuards#malformedTarget}: what a request target must be before anything reads it. */
class RequestTargetTest {

    @Test
    void wellFormedTargetsPass() {
        for (String ok : new String[] {"/api/health", "/api/sessions/%E2%80%AE", "/api/x?q=a%20b&r=%C3%A9", "/",
                "/api/%252e%252e", "/api/sessions/0190a7e0-0000-7000-8000-000000000001/steps?start_seq=1",
                "/api/caf\u00e9"}) {
            assertThat(HttpGuards.malformedTarget(ok)).as(ok).isNull();
        }
    }

    @Test
    void malformedEscapesAreRefused() {
        for (String bad : new String[] {"/api/sessions/%zz", "/api/%", "/api/%2", "/api/sessions/%E0%A4%A",
                "/api/x?q=%zz", "/api/x?q=%"}) {
            assertThat(HttpGuards.malformedTarget(bad)).as(bad).isNotNull();
        }
    }

    @Test
    void escapesThatAreNotUtf8AreRefused() {
        for (String bad : new String[] {"/api/sessions/%E0%A4", "/api/%C0%AF", "/api/%FF", "/api/x?q=%C3",
                "/api/%ED%A0%80"}) {
            assertThat(HttpGuards.malformedTarget(bad)).as(bad).contains("UTF-8");
        }
    }

    @Test
    void aNulIsRefused() {
        assertThat(HttpGuards.malformedTarget("/api/agents/a%00b/chat")).contains("NUL");
        assertThat(HttpGuards.malformedTarget("/api/x?q=%00")).contains("NUL");
    }

    @Test
    void anEmptyTargetIsRefused() {
        assertThat(HttpGuards.malformedTarget("")).isNotNull();
        assertThat(HttpGuards.malformedTarget(null)).isNotNull();
    }
}
