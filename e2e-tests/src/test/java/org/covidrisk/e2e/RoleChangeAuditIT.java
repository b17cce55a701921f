package org.covidrisk.e2e;

import static io.restassured.RestAssured.given;
import static org.covidrisk.e2e.SharedSuite.PG;
import static org.covidrisk.e2e.SharedSuite.PG_USER;
import static org.covidrisk.e2e.SharedSuite.home;
import static org.covidrisk.e2e.SharedSuite.other;
import static org.covidrisk.e2e.SharedSuite.patientOf;
import static org.covidrisk.e2e.SharedSuite.token;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Role management through the gateway against the real Keycloak (changes take effect with the next token, the old
 * token keeps its old rights until it expires), the remit, and the audit trail of every kind of action, down to the
 * PostgreSQL trigger that keeps the table append-only.
 */
@ExtendWith(SharedSuite.class)
@Order(4)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RoleChangeAuditIT {

    static final String USER = "rc-user";

    @BeforeAll
    static void setUp() throws Exception {
        SharedSuite.ensureCohortAndModel();
        SharedSuite.createUser(USER, "clinician", List.of(home));
    }

    static JsonPath audit(String query) throws Exception {
        return given().auth().oauth2(token("network-analyst")).get("/api/v1/audit?limit=500&" + query).then()
                .statusCode(200).extract().jsonPath();
    }

    @Test
    @Order(1)
    void aGrantedRoleWorksWithTheNextTokenOnly() throws Exception {
        String before = token(USER);
        given().auth().oauth2(before).get("/api/v1/reports?stage=4").then().statusCode(403);
        String sec = token("security-admin");
        given().auth().oauth2(sec).put("/api/v1/admin/users/" + USER + "/roles/analyst").then().statusCode(200)
                .body("roles", equalTo(List.of("analyst", "clinician")));
        given().auth().oauth2(before).get("/api/v1/reports?stage=4").then().statusCode(403);
        String after = token(USER);
        given().auth().oauth2(after).get("/api/v1/reports?stage=4").then().statusCode(200);

        given().auth().oauth2(sec).delete("/api/v1/admin/users/" + USER + "/roles/analyst").then().statusCode(200)
                .body("roles", equalTo(List.of("clinician")));
        given().auth().oauth2(token(USER)).get("/api/v1/reports?stage=4").then().statusCode(403);

        given().auth().oauth2(sec).contentType(ContentType.JSON).body(Map.of("hospitals", List.of(other)))
                .put("/api/v1/admin/users/" + USER + "/hospitals").then().statusCode(200)
                .body("hospitals", equalTo(List.of(other)));
        String moved = token(USER);
        given().auth().oauth2(moved).get("/api/v1/me").then().body("hospitals", equalTo(List.of(other)));
        given().auth().oauth2(moved).get("/api/v1/patients/" + patientOf.get(home)).then().statusCode(404);
        given().auth().oauth2(moved).get("/api/v1/patients/" + patientOf.get(other)).then().statusCode(200);
        given().auth().oauth2(after).get("/api/v1/me").then().body("hospitals", equalTo(List.of(home)));
    }

    @Test
    @Order(2)
    void aSecurityAdminCannotGrantBeyondTheRemitNorChangeTheirOwnAccount() throws Exception {
        String sec = token("security-admin");
        given().auth().oauth2(sec).put("/api/v1/admin/users/" + USER + "/roles/security-admin").then()
                .statusCode(403).body("detail", containsString("outside a security admin's remit"));
        given().auth().oauth2(sec).put("/api/v1/admin/users/security-admin/roles/network-analyst").then()
                .statusCode(403).body("detail", equalTo("a security admin cannot change their own account"));
        given().auth().oauth2(sec).contentType(ContentType.JSON).body(Map.of("hospitals", List.of(home)))
                .put("/api/v1/admin/users/security-admin/hospitals").then().statusCode(403);
        given().auth().oauth2(sec).put("/api/v1/admin/users/" + USER + "/roles/offline_access").then()
                .statusCode(403);
        given().auth().oauth2(sec).get("/api/v1/admin/users/security-admin").then()
                .body("roles", equalTo(List.of("security-admin"))).body("hospitals", equalTo(List.of()));
        given().auth().oauth2(sec).get("/api/v1/admin/users/" + USER).then()
                .body("roles", equalTo(List.of("clinician")));
        given().auth().oauth2(token("security-admin")).get("/api/v1/me").then()
                .body("roles", equalTo(List.of("security-admin")));
        // other roles cannot manage users at all
        given().auth().oauth2(token("model-admin")).put("/api/v1/admin/users/" + USER + "/roles/analyst").then()
                .statusCode(403);
    }

    @Test
    @Order(3)
    void everyKindOfActionLeavesAnAuditRow() throws Exception {
        String doc = token("clinician-home");
        String patient = patientOf.get(home);
        given().auth().oauth2(doc).get("/api/v1/patients?pageSize=5").then().statusCode(200);
        given().auth().oauth2(doc).get("/api/v1/patients/" + patient).then().statusCode(200);
        double p = given().auth().oauth2(doc).post("/api/v1/patients/" + patient + "/score").then().statusCode(200)
                .extract().jsonPath().getDouble("probability");
        given().auth().oauth2(doc).contentType(ContentType.JSON)
                .body("{\"patientIds\":[\"" + patient + "\",\"" + patientOf.get(other) + "\"]}")
                .post("/api/v1/scores/batch").then().statusCode(200).body("scored", equalTo(1));
        given().auth().oauth2(token("analyst-home")).get("/api/v1/reports?stage=4").then().statusCode(200);
        given().auth().oauth2(token("analyst-home")).get("/api/v1/audit").then().statusCode(403);
        String admin = token("model-admin");
        String trained = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"learner\":\"logistic\",\"stage\":2,\"seed\":5,\"promote\":false}").post("/api/v1/models")
                .then().statusCode(200).extract().jsonPath().getString("modelId");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"reason\":\"audit check\"}")
                .post("/api/v1/models/" + trained + "/promote").then().statusCode(200);
        given().auth().oauth2(token("steward-fixture")).contentType("text/csv").header("Batch-Id", "audit-upload")
                .body(SharedSuite.plantedCsv(home, "aud001", Map.of()).getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/uploads/dge").then()
                .statusCode(200);

        JsonPath doctor = audit("actor=clinician-home");
        List<Map<String, Object>> rows = doctor.getList("events");
        Map<String, Object> score = rows.stream().filter(r -> "SCORE".equals(r.get("action"))
                && patient.equals(r.get("target")) && r.get("detail").toString().startsWith("model ")).findFirst()
                .orElseThrow();
        assertEquals(home, score.get("hospital"));
        assertEquals(200, score.get("outcome"));
        assertTrue(score.get("detail").toString().matches("model [0-9a-f-]{36} v\\d+ stage 4 p=\\d\\.\\d{4}"),
                score.get("detail").toString());
        assertTrue(score.get("detail").toString().endsWith(String.format(java.util.Locale.ROOT, "p=%.4f", p)));
        assertEquals("clinician", score.get("actorRoles"));
        for (String action : List.of("PATIENT_LIST", "PATIENT_READ", "SCORE_BATCH")) {
            assertTrue(rows.stream().anyMatch(r -> action.equals(r.get("action"))), action);
        }
        // the other hospital's patient of the batch: a 404 row, no hospital of its own
        assertTrue(rows.stream().anyMatch(r -> "SCORE".equals(r.get("action"))
                && patientOf.get(other).equals(r.get("target")) && Integer.valueOf(404).equals(r.get("outcome"))));

        assertAction("actor=analyst-home&action=REPORT_READ", "active stage 4", 200);
        assertAction("actor=analyst-home&action=ACCESS_DENIED", "GET /api/v1/audit", 403);
        assertAction("actor=model-admin&action=TRAIN", trained, 200);
        assertAction("actor=model-admin&action=PROMOTE", trained, 200);
        assertAction("actor=steward-fixture&action=UPLOAD", "audit-upload", 200);
        assertAction("actor=security-admin&action=ROLE_GRANT", USER, 200);
        assertAction("actor=security-admin&action=ROLE_REVOKE", USER, 200);
        assertAction("actor=security-admin&action=HOSPITAL_SET", USER, 200);
        assertAction("actor=security-admin&action=ACCESS_DENIED", USER, 403);
        assertAction("actor=network-analyst&action=AUDIT_READ", null, 200);

        // a security admin reads the same log without patient keys or results
        String redacted = given().auth().oauth2(token("security-admin")).get("/api/v1/audit?actor=clinician-home")
                .then().statusCode(200).body("redacted", equalTo(true)).extract().asString();
        assertFalse(redacted.contains(patient), "security admin saw a patient key");
        assertFalse(redacted.contains("p=0."), "security admin saw a result");
    }

    static void assertAction(String query, String target, int outcome) throws Exception {
        List<Map<String, Object>> rows = audit(query).getList("events");
        assertTrue(rows.stream().anyMatch(r -> (target == null || target.equals(r.get("target")))
                && Integer.valueOf(outcome).equals(r.get("outcome"))), query + " → " + rows);
    }

    @Test
    @Order(4)
    void theAuditTableRefusesUpdateDeleteAndTruncateOnPostgres() throws SQLException {
        try (Connection c = DriverManager.getConnection(PG + SharedSuite.db("gateway"), PG_USER, "")) {
            long rows = SharedSuite.count(SharedSuite.db("gateway"), "SELECT count(*) FROM audit_event");
            assertTrue(rows > 10, rows + " rows");
            for (String sql : List.of("UPDATE audit_event SET actor = 'someone-else'", "DELETE FROM audit_event",
                    "TRUNCATE audit_event")) {
                try (Statement s = c.createStatement()) {
                    SQLException e = assertThrows(SQLException.class, () -> s.execute(sql), sql);
                    assertTrue(e.getMessage().contains("append-only"), e.getMessage());
                }
            }
            assertEquals(rows, SharedSuite.count(SharedSuite.db("gateway"), "SELECT count(*) FROM audit_event"));
        }
    }
}
