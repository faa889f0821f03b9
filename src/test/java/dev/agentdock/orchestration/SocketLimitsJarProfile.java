package dev.agentdock.orchestration;

import dev.agentdock.it.ProdJarProfile;
import java.util.Map;

/** {@link SocketLimitsProfile}'s small limits on the packaged jar in the prod profile. */
public class SocketLimitsJarProfile extends SocketLimitsProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return ProdJarProfile.under(super.getConfigOverrides());
    }
}
