package dev.agentdock.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentdock.it.ProdJarProfile;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The prod jar without an OpenAI key serves its simulator to this machine only (issue 12, Low): the same request
 * that this machine's loopback gets answered is a 404 when it arrives on the machine's network address, as it would
 * from anywhere else. The jar listens on all interfaces (prod's default host), so both reach it.
 */
@QuarkusIntegrationTest
@TestProfile(ProdJarProfile.class)
class SimulatorReachIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String COMPLETION = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Test
    void theSimulatorAnswersLoopbackOnlyWithoutAKey() throws Exception {
        HttpResponse<String> local = complete("127.0.0.1");
        assertThat(local.statusCode()).as(local.body()).isEqualTo(200);

        Optional<String> network = networkAddress();
        Assumptions.assumeTrue(network.isPresent(), "this machine has no non-loopback IPv4 address");
        HttpResponse<String> remote = complete(network.get());
        assertThat(remote.statusCode()).as(remote.body()).isEqualTo(404);
        assertThat(remote.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(remote.body()).doesNotContain("chat.completion");
    }

    private static HttpResponse<String> complete(String host) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + RestAssured.port + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer sk-anything")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(COMPLETION))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Optional<String> networkAddress() throws Exception {
        for (NetworkInterface nic : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress address : java.util.Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
                    return Optional.of(address.getHostAddress());
                }
            }
        }
        return Optional.empty();
    }
}
