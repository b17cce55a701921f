package org.covidrisk.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import java.util.List;

import org.covidrisk.platform.testing.TestTokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class GatewayResourceTest {

    static final String CSV = "ID_REGISTRO,EDAD\n" + "a1,50\n".repeat(40);

    static String token(String user, String hospital, String... roles) {
        return TestTokens.token(user, hospital == null ? List.of() : List.of(hospital), roles);
    }

    @Test
    void withoutATokenEveryEndpointAnswers401AsProblemJson() {
        given().when().get("/api/v1/patients/a1").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", containsString("Bearer"))
                .body("status", equalTo(401)).body("title", equalTo("Unauthorized"));
        given().contentType("text/csv").header("Batch-Id", "b").body(CSV).when().post("/api/v1/uploads/dge").then()
                .statusCode(401);
        given().auth().oauth2("not-a-jwt").when().get("/api/v1/me").then().statusCode(401)
                .contentType("application/problem+json");
        given().auth().oauth2(TestTokens.expiredToken("doc", List.of("MX-09-04"), "clinician")).when()
                .get("/api/v1/me").then().statusCode(401);
    }

    @Test
    void theWrongRoleIs403AsProblemJson() {
        given().auth().oauth2(token("ana", "MX-09-04", "analyst")).when().post("/api/v1/patients/a1/score").then()
                .statusCode(403).contentType("application/problem+json").body("status", equalTo(403));
        given().auth().oauth2(token("doc", "MX-09-04", "clinician")).contentType(ContentType.JSON).body("{}").when()
                .post("/api/v1/models").then().statusCode(403);
        given().auth().oauth2(token("sec", null, "security-admin")).when().get("/api/v1/patients/a1").then()
                .statusCode(403);
    }

    @Test
    void uploadsStreamThroughInChunksAndReportRows() {
        given().auth().oauth2(token("steward", "MX-09-04", "data-steward")).contentType("text/csv")
                .header("Batch-Id", "b-1").body(CSV).when().post("/api/v1/uploads/dge").then().statusCode(200)
                .body("rowsStored", equalTo(40)).body("batchId", equalTo("b-1"))
                // the fake counts chunks in "deaths": a 64-byte chunk size must give several
                .body("deaths", not(equalTo(1)));
    }

    @Test
    void refusedRowsComeBackNamed() {
        given().auth().oauth2(token("steward", "MX-09-04", "data-steward")).contentType("text/csv")
                .header("Batch-Id", "b-2").body("ID_REGISTRO,EDAD\nBAD,x\n").when().post("/api/v1/uploads/dge")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("line 2, column EDAD"))
                .body("errors[0].reason", equalTo("is not a whole number"));
        given().auth().oauth2(token("steward", "MX-09-04", "data-steward")).contentType("text/csv").body(CSV).when()
                .post("/api/v1/uploads/dge").then().statusCode(400).body("errors[0].field", equalTo("Batch-Id"));
    }

    @Test
    void clinicianReadsAndScoresOnlyOwnHospital() {
        String doc = token("doc", "MX-09-04", "clinician");
        given().auth().oauth2(doc).when().get("/api/v1/patients/a7").then().statusCode(200)
                .body("age", equalTo(61)).body("history.diabetes", equalTo(true))
                .body("history.smoker", equalTo(null));
        given().auth().oauth2(doc).when().get("/api/v1/patients/b7").then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(doc).when().post("/api/v1/patients/a7/score?stage=3").then().statusCode(200)
                .body("probability", equalTo(0.61f)).body("stage", equalTo(3)).body("imputed", hasItem("smoker"));
    }

    @Test
    void adHocScoresAreValidatedFieldByField() {
        String doc = token("doc", "MX-09-04", "clinician");
        given().auth().oauth2(doc).contentType(ContentType.JSON).body("{\"age\": 80, \"sex\": \"male\"}").when()
                .post("/api/v1/scores").then().statusCode(200).body("probability", equalTo(0.8f))
                .body("hospital", equalTo("MX-09-04"));
        given().auth().oauth2(doc).contentType(ContentType.JSON).body("{\"age\": -4, \"sex\": \"other\"}").when()
                .post("/api/v1/scores").then().statusCode(400).contentType("application/problem+json")
                .body("errors", hasSize(2)).body("errors[0].field", equalTo("age"))
                .body("errors[1].field", equalTo("sex"));
        given().auth().oauth2(doc).contentType(ContentType.JSON).body("{\"age\": \"old\"").when()
                .post("/api/v1/scores").then().statusCode(400).contentType("application/problem+json")
                .body("detail", not(containsString("Exception")));
        given().auth().oauth2(doc).when().post("/api/v1/patients/a7/score?stage=9").then().statusCode(400);
    }

    @Test
    void admissionRecordsAreScoredWithTheAdmissionsCohort() {
        String doc = token("doc", "MX-09-04", "clinician");
        given().auth().oauth2(doc).contentType(ContentType.JSON).body("{\"age\": 72, \"sex\": \"female\", "
                + "\"comorbidities\": {\"hypertension\": true}, \"vitals\": [{\"code\": \"spo2\", \"value\": 88, "
                + "\"unit\": \"%\"}], \"labs\": [{\"code\": \"crp\", \"value\": 120, \"unit\": \"mg/L\"}]}")
                .when().post("/api/v1/scores/admission").then().statusCode(200).body("probability", equalTo(0.72f))
                .body("cohort", equalTo("admissions")).body("stage", equalTo(0))
                .body("hospital", equalTo("MX-09-04")).body("patientId", equalTo("ad-hoc"));
        given().auth().oauth2(doc).contentType(ContentType.JSON).body("{\"sex\": \"female\"}").when()
                .post("/api/v1/scores/admission").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("age"));
        given().auth().oauth2(token("ana", "MX-09-04", "analyst")).contentType(ContentType.JSON)
                .body("{\"age\": 72}").when().post("/api/v1/scores/admission").then().statusCode(403);

        given().auth().oauth2(doc).when().post("/api/v1/patients/a7/score?cohort=admissions").then()
                .statusCode(200).body("cohort", equalTo("admissions")).body("stage", equalTo(0));
        given().auth().oauth2(doc).when().post("/api/v1/patients/a7/score").then().statusCode(200)
                .body("cohort", equalTo("dge")).body("stage", equalTo(4));
        given().auth().oauth2(doc).when().post("/api/v1/patients/b7/score?cohort=admissions").then()
                .statusCode(404);
        given().auth().oauth2(doc).when().post("/api/v1/patients/a7/score?cohort=stacked").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("cohort"));
    }

    @Test
    void trainingPassesTheCohortThrough() {
        String admin = token("admin", null, "model-admin");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"cohort\": \"admissions\", \"seed\": 3}")
                .when().post("/api/v1/models").then().statusCode(200).body("cohort", equalTo("admissions"))
                .body("stage", equalTo(0));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"seed\": 3}").when()
                .post("/api/v1/models").then().statusCode(200).body("cohort", equalTo("dge"))
                .body("stage", equalTo(4));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"cohort\": \"ct-scans\"}").when()
                .post("/api/v1/models").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("cohort"));
    }

    @Test
    void modelAdminTrainsAndAnalystsList() {
        given().auth().oauth2(token("admin", null, "model-admin")).contentType(ContentType.JSON)
                .body("{\"stage\": 2, \"seed\": 9}").when().post("/api/v1/models").then().statusCode(200)
                .body("stage", equalTo(2)).body("provenance.seed", equalTo(9)).body("active", equalTo(true));
        given().auth().oauth2(token("ana", "MX-09-04", "analyst")).when().get("/api/v1/models").then()
                .statusCode(200).body("[0].modelId", equalTo("m1"));
    }

    @Test
    void meAndOpenApi() {
        given().auth().oauth2(token("doc", "MX-09-04", "clinician")).when().get("/api/v1/me").then().statusCode(200)
                .body("username", equalTo("doc")).body("hospitals", equalTo(List.of("MX-09-04")));
        given().when().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/scores"));
    }
}
