package dev.agentdock;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.restassured.http.ContentType;
import java.util.Map;

/**
 * The retail scenario's customers, and a caller verified as one of them in a session, the way production does it:
 * a turn of the {@code authentication} agent in that session calls {@code authenticate_customer}, which records the
 * verified customer on the session. Works in process and against the packaged jar.
 */
public final class TestCustomers {

    /** Maya Lindqvist, C-1001: orders ORD-1001 and ORD-1002; Northwind account on the same number. */
    public static final String MAYA_PHONE = "2065550142";
    public static final String MAYA_BIRTH = "1988-04-12";
    /** Daniel Okafor, C-1002: orders ORD-1003 and ORD-1004. */
    public static final String DANIEL_PHONE = "4155550187";
    public static final String DANIEL_BIRTH = "1979-11-30";

    private TestCustomers() {
    }

    /** The simulator marker that makes the model call {@code authenticate_customer} with these values. */
    public static String authenticateMarker(String phone, String birth) {
        return "[[tool:authenticate_customer {\"phoneNumber\":\"" + phone + "\",\"dateOfBirth\":\"" + birth + "\"}]]";
    }

    /** Verifies the caller of {@code sessionId} (owned by {@code user}) as Maya, C-1001. */
    public static void verifyAsMaya(String user, String sessionId) {
        verify(user, sessionId, MAYA_PHONE, MAYA_BIRTH, "C-1001");
    }

    public static void verify(String user, String sessionId, String phone, String birth, String customerId) {
        given().contentType(ContentType.JSON).accept(ContentType.JSON).header(TestIdentity.USER_HEADER, user)
                .body(Map.of("session_id", sessionId, "message", "verify me " + authenticateMarker(phone, birth)))
                .post("/api/agents/authentication/chat").then().statusCode(200)
                .body("tool_calls[0].result", containsString("\"customer_id\":\"" + customerId + "\""));
    }
}
