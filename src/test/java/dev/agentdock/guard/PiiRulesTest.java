package dev.agentdock.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The local rules on a table of texts: what each kind catches, and the look-alikes it must leave alone. */
class PiiRulesTest {

    private final PiiRules rules = new PiiRules(Map.of("employee_id", "EMP-\\d{6}"));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            mail me at jane.doe+work@example.co.uk today  | mail me at [REDACTED:email] today
            E.164 +14155550132                            | E.164 [REDACTED:phone]
            spaced +44 20 7946 0958 please                | spaced [REDACTED:phone] please
            +1 (415) 555-0132                             | [REDACTED:phone]
            US (415) 555-0132                             | US [REDACTED:phone]
            US 415-555-0132                               | US [REDACTED:phone]
            UK 020 7946 0958                              | UK [REDACTED:phone]
            FR 06 12 34 56 78                             | FR [REDACTED:phone]
            card 4111 1111 1111 1111 exp                  | card [REDACTED:card] exp
            card 5500-0000-0000-0004                      | card [REDACTED:card]
            amex 378282246310005                          | amex [REDACTED:card]
            iban DE89 3704 0044 0532 0130 00 ok           | iban [REDACTED:iban] ok
            iban GB82WEST12345698765432                   | iban [REDACTED:iban]
            badge EMP-123456 here                         | badge [REDACTED:employee_id] here
            """)
    void redactsEachKind(String text, String redacted) {
        assertThat(rules.scan(text).redacted()).isEqualTo(redacted);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            Luhn-invalid card 4111 1111 1111 1112
            IBAN with a wrong check DE00 3704 0044 0532 0130 00
            IBAN with a typo DE89 3704 0044 0532 0130 01
            the date 2024-01-15 and time 10:30
            order 4155550132 without separators
            version 1.2.3 and ip 192.168.1.10
            a price of 1 000 000 euros
            an address like user@localhost is not routable
            """)
    void leavesLookAlikesAlone(String text) {
        PiiRules.Scan scan = rules.scan(text);
        assertThat(scan.hits()).isEmpty();
        assertThat(scan.redacted()).isEqualTo(text);
    }

    @Test
    void reportsEveryHitOnceWithItsKindEvenWhenRulesOverlap() {
        String text = "Pay DE89 3704 0044 0532 0130 00 from 4111111111111111, call +33 6 12 34 56 78 or x@y.io";
        PiiRules.Scan scan = rules.scan(text);
        assertThat(scan.hits()).extracting(PiiRules.Hit::kind).containsExactly("iban", "card", "phone", "email");
        assertThat(scan.redacted()).isEqualTo(
                "Pay [REDACTED:iban] from [REDACTED:card], call [REDACTED:phone] or [REDACTED:email]");
    }

    @Test
    void aBadExtraPatternFailsAtStartNamingTheKey() {
        assertThatThrownBy(() -> new PiiRules(Map.of("broken", "([a-z")))
                .hasMessageContaining("agentdock.guard.pii.extra-patterns.broken");
        assertThatThrownBy(() -> new PiiRules(Map.of("Has Space", "x")))
                .hasMessageContaining("'Has Space'");
    }

    @Test
    void policyBlocksOnTheModelRedactsOrBlocksOnPiiAndAllowsTheRest() {
        List<String> kinds = rules.kinds();
        PiiRules.Scan clean = rules.scan("hello");
        PiiRules.Scan email = rules.scan("hello a@b.io");
        assertThat(Moderator.decide(clean, Optional.of(false), kinds, Moderator.PiiHandling.REDACT).action())
                .isEqualTo(ModerationAction.ALLOW);
        assertThat(Moderator.decide(clean, Optional.of(true), kinds, Moderator.PiiHandling.REDACT).action())
                .isEqualTo(ModerationAction.BLOCK);
        assertThat(Moderator.decide(email, Optional.of(false), kinds, Moderator.PiiHandling.REDACT).action())
                .isEqualTo(ModerationAction.REDACT);
        ModerationDecision blocked = Moderator.decide(email, Optional.empty(), kinds, Moderator.PiiHandling.BLOCK);
        assertThat(blocked.action()).isEqualTo(ModerationAction.BLOCK);
        assertThat(blocked.modelAvailable()).isFalse();
        assertThat(blocked.sources()).containsExactly("pii");
        assertThat(blocked.categories()).containsEntry("pii/email", true).doesNotContainKey("moderation");
    }
}
