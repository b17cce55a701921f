package org.covidrisk.gateway.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.covidrisk.platform.testing.TestTokens;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class AuditTest {

    @Inject
    AuditLog log;

    @Inject
    AgroalDataSource dataSource;

    static String token(String user, String hospital, String... roles) {
        return TestTokens.token(user, hospital == null ? List.of() : List.of(hospital), roles);
    }

    static final String NETWORK = token("net", null, "network-analyst");
    static final String SECURITY = token("sec", null, "security-admin");

    static JsonPath audit(String token, String query) {
        return given().auth().oauth2(token).when().get("/api/v1/audit?" + query).then().statusCode(200).extract()
                .jsonPath();
    }

    @Test
    void scoresAreAuditedWithModelVersionAndResultButNoInputValue() {
        String doc = token("doc-audit", "MX-09-04", "clinician");
        given().auth().oauth2(doc).when().post("/api/v1/patients/a7/score").then().statusCode(200);
        given().auth().oauth2(doc).contentType(ContentType.JSON)
                .body("{\"reference\": \"ref-17\", \"age\": 83, \"sex\": \"male\"}").when().post("/api/v1/scores")
                .then().statusCode(200);
        JsonPath rows = audit(NETWORK, "actor=doc-audit&action=SCORE");
        assertEquals(List.of("ref-17", "a7"), rows.getList("events.target"), "newest first");
        assertEquals(List.of("MX-09-04", "MX-09-04"), rows.getList("events.hospital"));
        assertEquals(List.of(200, 200), rows.getList("events.outcome"));
        assertEquals("clinician", rows.getString("events[0].actorRoles"));
        // exactly model, version, stage and probability: no room for an input value
        for (String detail : rows.<String>getList("events.detail")) {
            assertTrue(detail.matches("model m1 v1 stage 4 p=0\\.\\d{4}"), detail);
        }
        assertFalse(rows.getBoolean("redacted"));
    }

    @Test
    void admissionScoresAreAuditedWithTheirCohortButNoInputValue() {
        String doc = token("doc-audit-adm", "MX-09-04", "clinician");
        given().auth().oauth2(doc).contentType(ContentType.JSON).body("{\"reference\": \"adm-5\", \"age\": 77, "
                + "\"labs\": [{\"code\": \"crp\", \"value\": 131, \"unit\": \"mg/L\"}]}").when()
                .post("/api/v1/scores/admission").then().statusCode(200);
        given().auth().oauth2(doc).when().post("/api/v1/patients/a7/score?cohort=admissions").then().statusCode(200);
        JsonPath rows = audit(NETWORK, "actor=doc-audit-adm&action=SCORE");
        assertEquals(List.of("a7", "adm-5"), rows.getList("events.target"), "newest first");
        assertEquals(List.of(200, 200), rows.getList("events.outcome"));
        for (String detail : rows.<String>getList("events.detail")) {
            assertTrue(detail.matches("model m1 v1 cohort admissions p=0\\.\\d{4}"), detail);
            assertFalse(detail.contains("131"), detail);
        }
    }

    @Test
    void securityAdminsSeeNoPatientKeyOrResultInTheLog() {
        String doc = token("doc-redact", "MX-09-04", "clinician");
        given().auth().oauth2(doc).when().post("/api/v1/patients/a8/score").then().statusCode(200);
        given().auth().oauth2(doc).when().get("/api/v1/patients/a8").then().statusCode(200);
        String body = given().auth().oauth2(SECURITY).when().get("/api/v1/audit?actor=doc-redact").then()
                .statusCode(200).body("redacted", equalTo(true)).body("events", hasSize(2))
                .body("events.target", everyItem(equalTo("[redacted]")))
                .body("events.detail", everyItem(equalTo("[redacted]"))).extract().asString();
        assertFalse(body.contains("a8"), body);
        assertFalse(body.contains("p="), body);
        // the same rows, unredacted, for a network analyst
        audit(NETWORK, "actor=doc-redact").getList("events.target").forEach(t -> assertEquals("a8", t));
    }

    @Test
    void refusalsAreAuditedWithTheRouteNotThePatientKey() {
        String analyst = token("ana-denied", "MX-09-04", "analyst");
        given().auth().oauth2(analyst).when().post("/api/v1/patients/a9/score").then().statusCode(403);
        given().auth().oauth2(analyst).when().get("/api/v1/audit").then().statusCode(403);
        JsonPath rows = audit(NETWORK, "actor=ana-denied");
        assertEquals(List.of("ACCESS_DENIED", "ACCESS_DENIED"), rows.getList("events.action"));
        assertEquals(List.of("GET /api/v1/audit", "POST /api/v1/patients/{id}/score"), rows.getList("events.target"));
        assertEquals("wanted SCORE", rows.getString("events[1].detail"));
        assertEquals(403, rows.getInt("events[1].outcome"));
        assertFalse(rows.prettify().contains("a9"));
    }

    @Test
    void batchScoresAuditEveryPatientAndTheBatch() {
        String doc = token("doc-batch", "MX-09-04", "clinician");
        JsonPath r = given().auth().oauth2(doc).contentType(ContentType.JSON)
                .body("{\"patientIds\": [\"a1\", \"b1\", \"a1\", \"a2\"], \"stage\": 3}").when()
                .post("/api/v1/scores/batch").then().statusCode(200).body("requested", equalTo(3))
                .body("scored", equalTo(2)).body("items.status", equalTo(List.of(200, 404, 200)))
                .body("items[1].error", equalTo("not found in your hospital(s)")).extract().jsonPath();
        assertFalse(r.prettify().contains("MX-15-12"), "another hospital's patient reveals nothing");
        String batchId = r.getString("batchId");
        JsonPath rows = audit(NETWORK, "actor=doc-batch");
        assertEquals(List.of("SCORE", "SCORE", "SCORE", "SCORE_BATCH"), rows.getList("events.action"));
        assertEquals(batchId, rows.getString("events[3].target"));
        assertEquals("2 of 3 scored, stage 3", rows.getString("events[3].detail"));
        assertEquals(List.of(200, 404, 200, 200), rows.getList("events.outcome"));
        assertTrue(rows.<String>getList("events.detail").get(0).startsWith("batch " + batchId + " model m1"));

        given().auth().oauth2(doc).contentType(ContentType.JSON).body("{\"patientIds\": []}").when()
                .post("/api/v1/scores/batch").then().statusCode(400);
        String tooMany = "{\"patientIds\": [" + "\"a1\",".repeat(500) + "\"a2\"]}";
        given().auth().oauth2(doc).contentType(ContentType.JSON).body(tooMany).when().post("/api/v1/scores/batch")
                .then().statusCode(400).body("errors[0].field", equalTo("patientIds"));
    }

    @Test
    void uploadsTrainingPromotionsReportsAndAuditReadsAreAudited() {
        given().auth().oauth2(token("steward-audit", "MX-09-04", "data-steward")).contentType("text/csv")
                .header("Batch-Id", "b-audit").body("ID_REGISTRO\na1\n").when().post("/api/v1/uploads/dge").then()
                .statusCode(200);
        String admin = token("admin-audit", null, "model-admin");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"learner\": \"lasso\"}").when()
                .post("/api/v1/models").then().statusCode(200);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"reason\": \"better\"}").when()
                .post("/api/v1/models/m1/promote").then().statusCode(200);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{}").when()
                .post("/api/v1/models/x1/promote").then().statusCode(404);
        given().auth().oauth2(admin).when().get("/api/v1/reports?stage=4").then().statusCode(200);

        JsonPath upload = audit(NETWORK, "actor=steward-audit");
        assertEquals("UPLOAD", upload.getString("events[0].action"));
        assertEquals("b-audit", upload.getString("events[0].target"));
        assertEquals("rows stored 1 of 1", upload.getString("events[0].detail"));
        JsonPath admins = audit(NETWORK, "actor=admin-audit");
        assertEquals(List.of("REPORT_READ", "PROMOTE", "PROMOTE", "TRAIN"), admins.getList("events.action"));
        assertEquals(List.of("active stage 4", "x1", "m1", "m2"), admins.getList("events.target"));
        assertEquals(List.of(200, 404, 200, 200), admins.getList("events.outcome"));
        assertEquals("stage 4 v3, replaced m0 v2", admins.getString("events[2].detail"));

        audit(NETWORK, "actor=steward-audit&action=UPLOAD");
        JsonPath reads = audit(NETWORK, "actor=net&action=AUDIT_READ&limit=1");
        assertEquals(1, reads.getList("events").size());
        assertEquals("1 rows action UPLOAD actor steward-audit", reads.getString("events[0].detail"));
    }

    @Test
    void queriesFilterByHospitalAndTimeAndPage() {
        String doc = token("doc-page", "MX-15-12", "clinician");
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(doc).when().get("/api/v1/patients/b" + i).then().statusCode(200);
        }
        JsonPath first = audit(NETWORK, "actor=doc-page&limit=2");
        assertEquals(List.of("b2", "b1"), first.getList("events.target"));
        long next = first.getLong("nextBeforeId");
        JsonPath second = audit(NETWORK, "actor=doc-page&limit=2&beforeId=" + next);
        assertEquals(List.of("b0"), second.getList("events.target"));
        assertNull(second.get("nextBeforeId"));
        assertEquals(3, audit(NETWORK, "actor=doc-page&hospital=MX-15-12").getList("events").size());
        assertEquals(0, audit(NETWORK, "actor=doc-page&hospital=MX-15-1").getList("events").size(),
                "whole hospital keys only");
        assertEquals(0, audit(NETWORK, "actor=doc-page&from=" + Instant.now().plusSeconds(60)).getList("events")
                .size());
        assertEquals(3, audit(NETWORK, "actor=doc-page&from=2020-01-01T00:00:00Z&to="
                + Instant.now().plusSeconds(60)).getList("events").size());

        given().auth().oauth2(NETWORK).when().get("/api/v1/audit?action=NOPE").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("action"));
        given().auth().oauth2(NETWORK).when().get("/api/v1/audit?from=yesterday").then().statusCode(400)
                .body("errors[0].field", equalTo("from"));
        given().auth().oauth2(token("doc", "MX-15-12", "clinician")).when().get("/api/v1/audit").then()
                .statusCode(403);
        given().auth().oauth2(NETWORK).when().get("/api/v1/audit?action=access_denied").then().statusCode(200)
                .body("events.action", everyItem(equalTo("ACCESS_DENIED")))
                .body("events.actor", hasItem(matchesPattern(".+")));
    }

    @Test
    void rowsCannotBeChangedOrRemoved() throws SQLException {
        AuditEvent e = new AuditEvent();
        e.occurredAt = Instant.now();
        e.actor = "tester";
        e.actorRoles = "";
        e.action = AuditAction.AUDIT_READ;
        e.outcome = 200;
        log.append(List.of(e));
        AuditEvent again = new AuditEvent();
        again.id = e.id;
        assertThrows(IllegalArgumentException.class, () -> log.append(List.of(again)), "no overwrite by id");
        try (Connection c = dataSource.getConnection()) {
            assumeTrue(c.getMetaData().getDatabaseProductName().equals("PostgreSQL"),
                    "skipped: the append-only trigger exists on PostgreSQL only (build with -Dcovid.db-kind=postgresql)");
            for (String sql : List.of("UPDATE audit_event SET actor = 'x' WHERE id = " + e.id,
                    "DELETE FROM audit_event WHERE id = " + e.id, "TRUNCATE audit_event")) {
                try (Statement s = c.createStatement()) {
                    SQLException refused = assertThrows(SQLException.class, () -> s.execute(sql), sql);
                    assertTrue(refused.getMessage().contains("append-only"), refused.getMessage());
                }
            }
        }
    }
}
