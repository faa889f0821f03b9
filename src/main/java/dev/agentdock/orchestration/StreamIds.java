package dev.agentdock.orchestration;

/** Redis stream ids ({@code <millis>-<seq>}) compared as the pairs of numbers they are. */
final class StreamIds {

    private StreamIds() {
    }

    static boolean isStreamId(String id) {
        int dash = id == null ? -1 : id.indexOf('-');
        if (dash <= 0 || dash == id.length() - 1) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (i != dash && (c < '0' || c > '9')) {
                return false;
            }
        }
        return id.length() <= 41;
    }

    /** Whether {@code id} comes after {@code last} (anything comes after nothing). */
    static boolean after(String id, String last) {
        if (last == null) {
            return true;
        }
        int a = id.indexOf('-');
        int b = last.indexOf('-');
        int byMillis = Long.compare(Long.parseLong(id, 0, a, 10), Long.parseLong(last, 0, b, 10));
        return byMillis != 0 ? byMillis > 0
                : Long.parseLong(id, a + 1, id.length(), 10) > Long.parseLong(last, b + 1, last.length(), 10);
    }
}
