package dev.agentdock.guard;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Local PII detection: emails, phone numbers, payment card numbers (Luhn-checked), IBANs (mod-97-checked) and
 * configured extra patterns. Rules are tried in that order and an earlier rule's hit wins where two overlap, so
 * the digits of an IBAN are not also reported as a phone number.
 */
public final class PiiRules {

    /** One PII occurrence: its kind and where it is in the text. */
    public record Hit(String kind, int start, int end) {
    }

    /** What a scan found and the text with every hit replaced. */
    public record Scan(List<Hit> hits, String redacted) {
        public boolean found(String kind) {
            return hits.stream().anyMatch(h -> h.kind().equals(kind));
        }
    }

    private record Rule(String kind, Pattern pattern, Predicate<String> accept) {
    }

    private static final Pattern KIND_NAME = Pattern.compile("[a-z0-9_-]{1,40}");

    private static final Pattern IBAN = Pattern.compile("\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\\b");
    private static final Pattern CARD = Pattern.compile("(?<![\\d-])\\d(?:[ -]?\\d){12,18}(?!\\d)");
    private static final Pattern EMAIL = Pattern.compile(
            "(?<![\\w.%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\\.[A-Za-z]{2,}\\b");
    // +CC groups, or national forms such as (415) 555-0132, 415-555-0132, 020 7946 0958, 06 12 34 56 78
    private static final Pattern PHONE = Pattern.compile(
            "(?<![\\w+])(?:\\+\\d{1,3}[ .-]?)?(?:\\(\\d{1,4}\\)[ .-]?)?\\d{1,4}(?:[ .-]?\\d{1,4}){1,5}(?![\\w])");

    private final List<Rule> rules;

    /** @param extraPatterns kind name → Java regex; a bad name or pattern fails here, at start. */
    public PiiRules(Map<String, String> extraPatterns) {
        List<Rule> all = new ArrayList<>(List.of(
                new Rule("iban", IBAN, PiiRules::validIban),
                new Rule("card", CARD, PiiRules::validCard),
                new Rule("email", EMAIL, s -> true),
                new Rule("phone", PHONE, PiiRules::plausiblePhone)));
        new TreeMap<>(extraPatterns).forEach((kind, regex) -> all.add(new Rule(kind, compile(kind, regex), s -> true)));
        this.rules = List.copyOf(all);
    }

    /** Every kind this instance detects, built-in first. */
    public List<String> kinds() {
        return rules.stream().map(Rule::kind).toList();
    }

    public Scan scan(String text) {
        List<Hit> hits = new ArrayList<>();
        for (Rule rule : rules) {
            Matcher m = rule.pattern().matcher(text);
            while (m.find()) {
                if (m.end() > m.start() && rule.accept().test(m.group()) && free(hits, m.start(), m.end())) {
                    hits.add(new Hit(rule.kind(), m.start(), m.end()));
                }
            }
        }
        hits.sort(Comparator.comparingInt(Hit::start));
        StringBuilder redacted = new StringBuilder(text.length());
        int at = 0;
        for (Hit hit : hits) {
            redacted.append(text, at, hit.start()).append("[REDACTED:").append(hit.kind()).append(']');
            at = hit.end();
        }
        redacted.append(text, at, text.length());
        return new Scan(List.copyOf(hits), redacted.toString());
    }

    private static boolean free(List<Hit> hits, int start, int end) {
        return hits.stream().noneMatch(h -> start < h.end() && h.start() < end);
    }

    /** Luhn checksum over 13–19 digits. */
    static boolean validCard(String candidate) {
        String digits = candidate.replaceAll("[ -]", "");
        if (digits.length() < 13 || digits.length() > 19) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(digits.length() - 1 - i) - '0';
            if (i % 2 == 1) {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    /** ISO 13616: country, check digits, BBAN; moved to the end, letters as numbers, mod 97 must be 1. */
    static boolean validIban(String candidate) {
        String iban = candidate.replace(" ", "");
        if (iban.length() < 15 || iban.length() > 34) {
            return false;
        }
        StringBuilder numeric = new StringBuilder();
        for (char c : (iban.substring(4) + iban.substring(0, 4)).toCharArray()) {
            numeric.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
        }
        return new BigInteger(numeric.toString()).mod(BigInteger.valueOf(97)).intValue() == 1;
    }

    /**
     * International numbers: 8–15 digits (E.164). National ones: 9–12 digits written with a trunk 0, an area code
     * in parentheses or separators — a bare run of digits that does not start with 0 is more likely an id.
     */
    static boolean plausiblePhone(String candidate) {
        int digits = (int) candidate.chars().filter(Character::isDigit).count();
        if (candidate.startsWith("+")) {
            return digits >= 8 && digits <= 15;
        }
        boolean written = candidate.startsWith("0") || candidate.startsWith("(") || candidate.matches(".*\\d[ .-]\\d.*");
        return written && digits >= 9 && digits <= 12 && (candidate.startsWith("0") || digits >= 10);
    }

    private static Pattern compile(String kind, String regex) {
        if (!KIND_NAME.matcher(kind).matches()) {
            throw new IllegalStateException("agentdock.guard.pii.extra-patterns: name '" + kind
                    + "' must be 1-40 of a-z, 0-9, _ and -");
        }
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalStateException("agentdock.guard.pii.extra-patterns." + kind + " is not a valid regex: "
                    + e.getDescription(), e);
        }
    }

    /** The category name a kind is reported under. */
    static String category(String kind) {
        return "pii/" + kind;
    }
}
