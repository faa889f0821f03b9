package dev.agentdock.orchestration;

import dev.agentdock.auth.JwtProfile;
import java.util.HashMap;
import java.util.Map;

/** {@link JwtProfile} with small socket limits, so expiry, the resume throttle and the per-user cap show quickly. */
public class SocketLimitsProfile extends JwtProfile {

    static final int MAX_PER_USER = 3;
    static final int RESUME_BURST = 2;
    static final int MAX_REFUSED_RESUMES = 3;

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("agentdock.orchestration.socket.expiry-grace", "1s");
        config.put("agentdock.orchestration.socket.max-per-user", Integer.toString(MAX_PER_USER));
        config.put("agentdock.orchestration.socket.resume-burst", Integer.toString(RESUME_BURST));
        config.put("agentdock.orchestration.socket.resume-refill", "30s");
        config.put("agentdock.orchestration.socket.max-refused-resumes", Integer.toString(MAX_REFUSED_RESUMES));
        return config;
    }
}
