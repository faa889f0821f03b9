package dev.agentdock.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

/**
 * What a browser page needs from CORS: the official clients' headers are allowed (the openai package's
 * x-stainless-* set, OpenAI-Beta), and answers vary by Origin so a shared cache never serves one origin's answer
 * to another. {@link BrowserCorsIT} runs it against the prod jar, where the backend-only headers are not offered.
 */
@QuarkusTest
class BrowserCorsTest {

    static final String DOCK = "http://localhost:5173";
    static final String OPENAI_CLIENT_HEADERS = "authorization,content-type,x-stainless-lang,x-stainless-package-version,"
            + "x-stainless-os,x-stainless-arch,x-stainless-runtime,x-stainless-runtime-version,x-stainless-retry-count,"
            + "x-stainless-timeout,openai-beta";

    ValidatableResponse preflight(String requestHeaders) {
        return given().header("Origin", DOCK).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", requestHeaders)
                .options("/api/responses").then();
    }

    @Test
    void theOpenAiClientsHeadersPassThePreflight() {
        ValidatableResponse response = preflight(OPENAI_CLIENT_HEADERS).statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo(DOCK));
        for (String header : OPENAI_CLIENT_HEADERS.split(",")) {
            response.header("Access-Control-Allow-Headers", containsStringIgnoringCase(header));
        }
    }

    @Test
    void answersVaryByOrigin() {
        given().header("Origin", DOCK).get("/api/health").then().statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo(DOCK))
                .header("Vary", containsStringIgnoringCase("Origin"));
        preflight("authorization").header("Vary", containsStringIgnoringCase("Origin"));
    }
}
