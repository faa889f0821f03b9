package dev.agentdock.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.Test;

/**
 * Every named native query that answers rows is planned once: run a second time, it finds its plan in Hibernate's
 * cache (see this package's documentation for the query that never would). The per-turn queries are covered by
 * {@code TurnStatementsTest}; these are the others.
 */
@QuarkusTest
class NativeQueryPlansTest {

    @Inject
    SessionFactory sessionFactory;

    @Inject
    StepRepository steps;

    @Inject
    RunRepository runs;

    @Inject
    SessionRepository sessions;

    @Inject
    dev.agentdock.tool.DraftRepository drafts;

    @Test
    void eachNativeQueryIsPlannedOnceAndFoundAfterwards() {
        runEach(); // plans them (a first run may miss)
        long missesBefore = sessionFactory.getStatistics().getQueryPlanCacheMissCount();
        long hitsBefore = sessionFactory.getStatistics().getQueryPlanCacheHitCount();

        runEach();

        assertThat(sessionFactory.getStatistics().getQueryPlanCacheHitCount() - hitsBefore).isGreaterThanOrEqualTo(8);
        assertThat(sessionFactory.getStatistics().getQueryPlanCacheMissCount() - missesBefore).isZero();
    }

    @Test
    void theSingleColumnQueriesStillAnswerTheirValue() {
        UUID session = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> sessions.upsert(session, "plans-" + session, "assistant"));

        assertThat(sessions.claimVerificationAttempt(session, 2)).contains(1);
        assertThat(sessions.claimVerificationAttempt(session, 2)).contains(2);
        assertThat(sessions.claimVerificationAttempt(session, 2)).isEmpty();
        assertThat(steps.versionOfRun(UUID.randomUUID())).isEqualTo("0:");
    }

    private void runEach() {
        UUID session = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> {
            sessions.upsert(session, "plans-" + session, "assistant");
            runs.claimNextPending(session, "plans");
            steps.deleteOfLastRun(UUID.randomUUID());
        });
        steps.versionOfRun(UUID.randomUUID());
        sessions.claimVerificationAttempt(session, 3);
        sessions.verified(session, "customer-1");
        runs.interruptStale(OffsetDateTime.now().minusYears(10));
        drafts.upsert(UUID.randomUUID(), "plans-" + session, null, session, "a draft", "its text", "markdown");
    }
}
