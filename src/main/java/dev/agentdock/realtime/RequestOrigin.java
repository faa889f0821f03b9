package dev.agentdock.realtime;

import java.util.Locale;
import java.util.Optional;

/**
 * Where the browser reached the service, as the last proxy saw it: {@code Forwarded} (RFC 7239) first, then
 * {@code X-Forwarded-Proto}/{@code X-Forwarded-Host}, then the request's own scheme and {@code Host}. Only used to
 * tell that same caller an address of ours back, so a forged header misleads nobody but its sender.
 */
record RequestOrigin(String scheme, String host) {

    static Optional<RequestOrigin> of(String forwarded, String forwardedProto, String forwardedHost, String scheme,
                                      String host) {
        String proto = null;
        String fwdHost = null;
        if (forwarded != null && !forwarded.isBlank()) {
            // the first element is the proxy nearest the client
            for (String pair : forwarded.split(",")[0].split(";")) {
                String[] kv = pair.trim().split("=", 2);
                if (kv.length == 2) {
                    String value = kv[1].trim().replace("\"", "");
                    switch (kv[0].trim().toLowerCase(Locale.ROOT)) {
                        case "proto" -> proto = value;
                        case "host" -> fwdHost = value;
                        default -> { }
                    }
                }
            }
        }
        proto = first(proto, firstOf(forwardedProto), scheme);
        String chosenHost = first(fwdHost, firstOf(forwardedHost), host);
        if (chosenHost == null || !chosenHost.matches("[A-Za-z0-9.\\-\\[\\]:]+")) {
            return Optional.empty();
        }
        String s = proto == null ? "http" : proto.toLowerCase(Locale.ROOT);
        if (!s.equals("http") && !s.equals("https")) {
            s = "http";
        }
        return Optional.of(new RequestOrigin(s, chosenHost));
    }

    /** The WebSocket base of this origin: {@code ws://host} or {@code wss://host}. */
    String webSocketBase() {
        return (scheme.equals("https") ? "wss://" : "ws://") + host;
    }

    private static String firstOf(String headerList) {
        return headerList == null ? null : headerList.split(",")[0].trim();
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }
}
