package org.covidrisk.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;

import org.covidrisk.platform.testing.TestTokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Admission uploads, upload status, quarantine report and late outcomes through REST, against fake backends. */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class UploadResourceTest {

    static final String CSV = "patient_id,hospital,admission_time\np1,BR-SP-01,2020-05-01\n";

    static String steward() {
        return TestTokens.token("steward", List.of("BR-SP-01", "CN-WH-TJ"), "data-steward");
    }

    @Test
    void eachFormatReachesIngestWithItsHeader() {
        given().auth().oauth2(steward()).contentType("text/csv").header("Batch-Id", " a-1 ").queryParam("quarantine",
                true).queryParam("source", "REG_A").body(CSV).when().post("/api/v1/uploads/admissions").then()
                .statusCode(200).body("batchId", equalTo("a-1"))
                .body("layout", equalTo("ADMISSION_FORMAT_ADMISSION_CSV||REG_A|true")).body("rowsRead", equalTo(2))
                .body("rowsQuarantined", equalTo(0));
        given().auth().oauth2(steward()).contentType("text/csv").header("Batch-Id", "t-1").queryParam("hospital",
                "CN-WH-TJ").body(CSV).when().post("/api/v1/uploads/tongji").then().statusCode(200)
                .body("layout", equalTo("ADMISSION_FORMAT_TONGJI|CN-WH-TJ||false"));
        given().auth().oauth2(steward()).contentType("application/fhir+json").header("Batch-Id", "f-1")
                .body("{\"resourceType\":\"Bundle\"}").when().post("/api/v1/uploads/fhir").then().statusCode(200)
                .body("layout", equalTo("ADMISSION_FORMAT_FHIR_BUNDLE|||false"))
                .body("rowsStored", equalTo(25));
    }

    @Test
    void refusalsComeBackAsProblemJsonNamingRowAndColumn() {
        given().auth().oauth2(steward()).contentType("text/csv").header("Batch-Id", "a-2").body(CSV + "BAD\n").when()
                .post("/api/v1/uploads/admissions").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("line 2, column crp_unit"))
                .body("errors[0].reason", containsString("unit is not one of"));
        given().auth().oauth2(steward()).contentType("text/csv").header("Batch-Id", "a-3").body(CSV + "KNOWN\n")
                .when().post("/api/v1/uploads/admissions").then().statusCode(409)
                .contentType("application/problem+json").body("errors[0].field", equalTo("batchId"));
        given().auth().oauth2(steward()).contentType("text/csv").header("Batch-Id", "t-2").queryParam("hospital",
                "CN-WH-XX").body(CSV).when().post("/api/v1/uploads/tongji").then().statusCode(403)
                .contentType("application/problem+json").body("errors[0].field", equalTo("hospital"));
        given().auth().oauth2(steward()).contentType("text/csv").header("Batch-Id", "t-3").body(CSV).when()
                .post("/api/v1/uploads/tongji").then().statusCode(400).body("errors[0].field", equalTo("hospital"));
        given().auth().oauth2(steward()).contentType("application/fhir+json").body("{}").when()
                .post("/api/v1/uploads/fhir").then().statusCode(400).body("errors[0].field", equalTo("Batch-Id"));
        given().auth().oauth2(TestTokens.token("doc", List.of("BR-SP-01"), "clinician")).contentType("text/csv")
                .header("Batch-Id", "a-4").body(CSV).when().post("/api/v1/uploads/admissions").then().statusCode(403)
                .contentType("application/problem+json");
        given().contentType("text/csv").header("Batch-Id", "a-5").body(CSV).when().post("/api/v1/uploads/admissions")
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void uploadStatusShowsProgressAndTheStoredReport() {
        given().auth().oauth2(steward()).when().get("/api/v1/uploads/b-running").then().statusCode(200)
                .body("state", equalTo("receiving")).body("bytesReceived", equalTo(1234))
                .body("report", nullValue());
        given().auth().oauth2(steward()).when().get("/api/v1/uploads/b-done").then().statusCode(200)
                .body("state", equalTo("stored")).body("report.layout", equalTo("TONGJI"))
                .body("report.rowsQuarantined", equalTo(1)).body("report.quarantined[0].line", equalTo(4))
                .body("report.quarantined[0].column", equalTo("hemoglobin"));
        given().auth().oauth2(steward()).when().get("/api/v1/uploads/nope").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void theQuarantineReportIsPaged() {
        given().auth().oauth2(steward()).queryParam("pageSize", 2).when().get("/api/v1/uploads/q-1/quarantine")
                .then().statusCode(200).body("rowsQuarantined", equalTo(3)).body("problems.size()", equalTo(2))
                .body("problems[0].line", equalTo(3)).body("problems[0].column", equalTo("crp_unit"))
                .body("problems[1].reason", equalTo("age is outside 0-130"))
                .body("nextPageToken", equalTo("page-2"));
        given().auth().oauth2(steward()).queryParam("pageToken", "page-2").when().get(
                "/api/v1/uploads/q-1/quarantine").then().statusCode(200).body("problems.size()", equalTo(1))
                .body("$", hasKey("nextPageToken")).body("nextPageToken", nullValue());
        given().auth().oauth2(steward()).when().get("/api/v1/uploads/q-2/quarantine").then().statusCode(404);
    }

    @Test
    void lateOutcomesAreRecordedAsABatch() {
        String body = "[{\"patientId\":\"p1\",\"hospital\":\"BR-SP-01\",\"outcome\":\"died\","
                + "\"outcomeTime\":\"2020-05-09T17:00\"},{\"patientId\":\"p2\",\"hospital\":\"BR-SP-01\","
                + "\"outcome\":\"Discharged\",\"outcomeTime\":\"2020-05-10\"}]";
        given().auth().oauth2(steward()).contentType(ContentType.JSON).header("Batch-Id", "o-1").body(body).when()
                .post("/api/v1/outcomes").then().statusCode(200).body("layout", equalTo("OUTCOMES"))
                .body("rowsStored", equalTo(2)).body("deaths", equalTo(1));
        given().auth().oauth2(steward()).contentType(ContentType.JSON).header("Batch-Id", "o-2").body(body.replace(
                "Discharged", "alive")).when().post("/api/v1/outcomes").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("outcomes[1].outcome"));
        given().auth().oauth2(steward()).contentType(ContentType.JSON).header("Batch-Id", "o-3").body(body.replace(
                "p1", "nobody")).when().post("/api/v1/outcomes").then().statusCode(400)
                .body("errors[0].field", equalTo("outcomes[0].patient_id"));
        given().auth().oauth2(steward()).contentType(ContentType.JSON).body(body).when().post("/api/v1/outcomes")
                .then().statusCode(400).body("errors[0].field", equalTo("Batch-Id"));
        given().auth().oauth2(steward()).contentType(ContentType.JSON).header("Batch-Id", "o-4").body("{\"x\":1}")
                .when().post("/api/v1/outcomes").then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.token("admin", List.of(), "model-admin")).contentType(ContentType.JSON)
                .header("Batch-Id", "o-5").body(body).when().post("/api/v1/outcomes").then().statusCode(403);
    }
}
