package dev.agentdock.simulator;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A syntactically valid SDP answer (RFC 8866 / JSEP) to a WebRTC offer: one media section per offered one, in order
 * and with its {@code mid}; audio takes Opus, the data channel SCTP, anything else is rejected (port 0). No media
 * flows: the simulator's "audio" is the control hook.
 */
final class SdpAnswer {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String CRLF = "\r\n";

    private SdpAnswer() {
    }

    record Media(String kind, String mid) {
    }

    /** Empty when {@code offer} is not an SDP offer (no {@code v=0}, or no media section). */
    static Optional<String> answer(String offer) {
        if (offer == null || !offer.strip().startsWith("v=0")) {
            return Optional.empty();
        }
        List<Media> media = new ArrayList<>();
        String kind = null;
        String mid = null;
        for (String raw : offer.split("\r?\n")) {
            String line = raw.strip();
            if (line.startsWith("m=")) {
                if (kind != null) {
                    media.add(new Media(kind, mid == null ? String.valueOf(media.size()) : mid));
                }
                kind = line.substring(2).split(" ")[0];
                mid = null;
            } else if (line.startsWith("a=mid:") && kind != null) {
                mid = line.substring(6);
            }
        }
        if (kind == null) {
            return Optional.empty();
        }
        media.add(new Media(kind, mid == null ? String.valueOf(media.size()) : mid));
        StringBuilder sdp = new StringBuilder();
        line(sdp, "v=0");
        line(sdp, "o=- " + Math.abs(RANDOM.nextLong()) + " 2 IN IP4 127.0.0.1");
        line(sdp, "s=-");
        line(sdp, "t=0 0");
        line(sdp, "a=group:BUNDLE " + String.join(" ", media.stream().map(Media::mid).toList()));
        line(sdp, "a=msid-semantic: WMS *");
        String ufrag = token(4);
        String pwd = token(12);
        String fingerprint = fingerprint();
        for (Media m : media) {
            switch (m.kind()) {
                case "audio" -> {
                    line(sdp, "m=audio 9 UDP/TLS/RTP/SAVPF 111");
                    transport(sdp, ufrag, pwd, fingerprint, m.mid());
                    line(sdp, "a=sendrecv");
                    line(sdp, "a=rtcp-mux");
                    line(sdp, "a=rtpmap:111 opus/48000/2");
                    line(sdp, "a=fmtp:111 minptime=10;useinbandfec=1");
                }
                case "application" -> {
                    line(sdp, "m=application 9 UDP/DTLS/SCTP webrtc-datachannel");
                    transport(sdp, ufrag, pwd, fingerprint, m.mid());
                    line(sdp, "a=sctp-port:5000");
                }
                default -> {
                    line(sdp, "m=" + m.kind() + " 0 UDP/TLS/RTP/SAVPF 0");
                    line(sdp, "c=IN IP4 0.0.0.0");
                    line(sdp, "a=mid:" + m.mid());
                    line(sdp, "a=inactive");
                }
            }
        }
        return Optional.of(sdp.toString());
    }

    private static void transport(StringBuilder sdp, String ufrag, String pwd, String fingerprint, String mid) {
        line(sdp, "c=IN IP4 0.0.0.0");
        line(sdp, "a=ice-ufrag:" + ufrag);
        line(sdp, "a=ice-pwd:" + pwd);
        line(sdp, "a=fingerprint:sha-256 " + fingerprint);
        line(sdp, "a=setup:active");
        line(sdp, "a=mid:" + mid);
        line(sdp, "a=candidate:1 1 udp 2130706431 127.0.0.1 9 typ host");
    }

    private static String token(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String fingerprint() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(b);
    }

    private static void line(StringBuilder sdp, String line) {
        sdp.append(line).append(CRLF);
    }
}
