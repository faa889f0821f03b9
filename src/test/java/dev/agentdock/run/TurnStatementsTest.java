package dev.agentdock.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.Test;

/**
 * The SQL statements one plain chat turn costs (what {@code bench/} reports per turn): a fixed number, the same for
 * a short and a long reply. Counted by Hibernate's statistics (every statement of the service goes through it); the
 * test's own reads go around it, on a connection of its own.
 */
@QuarkusTest
class TurnStatementsTest {

    /** open (session, run id check, run, user step), context, assistant step, close, queued-run look. */
    static final int PLAIN_TURN = 8;

    @Inject
    SessionFactory sessionFactory;

    @Inject
    AgroalDataSource db;

    final SseChatClient client = new SseChatClient();

    @Test
    void aPlainTurnCostsTheSameStatementsWhateverTheLengthOfItsReply() throws Exception {
        long shortReply = statementsOfTurn("hello [[tokens:3]]");
        long longReply = statementsOfTurn("hello [[tokens:400]]");

        assertThat(shortReply).isEqualTo(PLAIN_TURN);
        assertThat(longReply).isEqualTo(shortReply);
    }

    /**
     * Hibernate plans each query once and finds the plan in its cache afterwards: a turn after the first plans
     * nothing. A native query whose cache key changed after it was stored would miss on every execution, fill the
     * cache with copies of one plan under one hash and make every later lookup walk them (seen in a profile: a
     * third of all lookups missed, and the lookups cost more than the statements' own work in the service).
     */
    @Test
    void aTurnAfterTheFirstPlansNoQueryAgain() throws Exception {
        statementsOfTurn("warm [[tokens:3]]");
        long before = sessionFactory.getStatistics().getQueryPlanCacheMissCount();
        long hitsBefore = sessionFactory.getStatistics().getQueryPlanCacheHitCount();
        statementsOfTurn("again [[tokens:3]]");

        assertThat(sessionFactory.getStatistics().getQueryPlanCacheHitCount()).isGreaterThan(hitsBefore);
        assertThat(sessionFactory.getStatistics().getQueryPlanCacheMissCount() - before).isZero();
    }

    /** The fewest statements one turn took in three tries (a stray statement of something else only adds). */
    private long statementsOfTurn(String message) throws Exception {
        long fewest = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long before = statements();
            List<SseChatClient.Frame> frames = client.chat("assistant", "user-" + UUID.randomUUID(),
                    Map.of("message", message));
            assertThat(frames.getLast().type()).isEqualTo("run_completed");
            UUID runId = UUID.fromString(frames.getLast().event().path("run_id").asText());
            await().atMost(Duration.ofSeconds(10)).until(() -> "completed".equals(status(runId)));
            // the engine looks for a queued run once the end is stored: wait until the count stops moving
            long[] last = {-1};
            await().pollInterval(Duration.ofMillis(200)).atMost(Duration.ofSeconds(10)).until(() -> {
                long now = statements();
                boolean settled = now == last[0];
                last[0] = now;
                return settled;
            });
            fewest = Math.min(fewest, last[0] - before);
        }
        return fewest;
    }

    private long statements() {
        return sessionFactory.getStatistics().getPrepareStatementCount();
    }

    private String status(UUID runId) throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT status FROM ai_agent_runs WHERE run_id = ?")) {
            ps.setObject(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
