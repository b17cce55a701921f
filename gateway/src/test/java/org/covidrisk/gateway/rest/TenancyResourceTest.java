package org.covidrisk.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.util.List;

import org.covidrisk.platform.testing.TestTokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** What each role sees of network-wide answers, with backends that send every hospital's rows. */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class TenancyResourceTest {

    static String token(String user, String hospital, String... roles) {
        return TestTokens.token(user, hospital == null ? List.of() : List.of(hospital), roles);
    }

    @Test
    void analystsSeeOnlyTheirHospitalsRowsOfReportsAndModels() {
        String analyst = token("ana", "MX-15-12", "analyst");
        String body = given().auth().oauth2(analyst).when().get("/api/v1/reports?stage=4").then().statusCode(200)
                .body("hospitals.hospital", equalTo(List.of("MX-15-12"))).body("metrics.auroc", equalTo(0.81f))
                .body("model.provenance.perHospital.group", equalTo(List.of("MX-15-12"))).extract().asString();
        org.junit.jupiter.api.Assertions.assertFalse(body.contains("MX-09-04"), body);
        given().auth().oauth2(analyst).when().get("/api/v1/models").then().statusCode(200)
                .body("[0].provenance.perHospital.group", equalTo(List.of("MX-15-12")))
                .body(not(containsString("MX-09-04")));
        given().auth().oauth2(token("net", null, "network-analyst")).when().get("/api/v1/reports").then()
                .statusCode(200).body("hospitals.hospital", equalTo(List.of("MX-09-04", "MX-15-12")));
        given().auth().oauth2(token("admin", null, "model-admin")).when().get("/api/v1/models").then()
                .statusCode(200).body("[0].provenance.perHospital.group", equalTo(List.of("MX-09-04", "MX-15-12")));
        given().auth().oauth2(token("doc", "MX-15-12", "clinician")).when().get("/api/v1/reports").then()
                .statusCode(403);
    }

    @Test
    void reportsNameTheCohortAndItsStage() {
        String net = token("net", null, "network-analyst");
        given().auth().oauth2(net).when().get("/api/v1/reports").then().statusCode(200)
                .body("model.stage", equalTo(4)).body("model.cohort", equalTo("dge"));
        given().auth().oauth2(net).when().get("/api/v1/reports?cohort=admissions").then().statusCode(200)
                .body("model.stage", equalTo(0)).body("model.cohort", equalTo("admissions"));
        given().auth().oauth2(net).when().get("/api/v1/reports?cohort=xray&stage=2").then().statusCode(200)
                .body("model.stage", equalTo(2)).body("model.cohort", equalTo("xray"));
        given().auth().oauth2(net).when().get("/api/v1/reports?cohort=ct").then().statusCode(400)
                .contentType(org.hamcrest.Matchers.startsWith("application/problem+json"))
                .body("errors[0].field", equalTo("cohort"));
        given().auth().oauth2(net).when().get("/api/v1/models/promotions?cohort=ct").then().statusCode(400)
                .body("errors[0].field", equalTo("cohort"));
    }

    @Test
    void cliniciansListOnlyTheirHospitalsPatients() {
        given().auth().oauth2(token("doc", "MX-09-04", "clinician")).when().get("/api/v1/patients").then()
                .statusCode(200).body("patients.patientId", equalTo(List.of("a1", "a2"))).body("total", equalTo(2))
                .body("nextPageToken", equalTo(null));
        given().auth().oauth2(token("doc", "MX-09-04", "clinician")).when().get("/api/v1/patients?pageSize=501")
                .then().statusCode(400);
        given().auth().oauth2(token("ana", "MX-09-04", "analyst")).when().get("/api/v1/patients").then()
                .statusCode(403);
        given().auth().oauth2(token("doc", null, "clinician")).when().get("/api/v1/patients").then()
                .statusCode(403);
    }

    @Test
    void modelsAreComparedPromotedAndUnimplementedBackendCallsAre501() {
        String admin = token("admin", null, "model-admin");
        given().auth().oauth2(admin).when().get("/api/v1/models/compare?ids=m0,m1").then().statusCode(200)
                .body("modelId", equalTo(List.of("m0", "m1")));
        given().auth().oauth2(token("ana", "MX-09-04", "analyst")).when().get("/api/v1/models/compare?ids=m0,m1")
                .then().statusCode(200).body("[1].provenance.perHospital.group", equalTo(List.of("MX-09-04")));
        given().auth().oauth2(admin).when().get("/api/v1/models/compare?ids=m1").then().statusCode(400)
                .body("errors[0].field", equalTo("ids"));
        given().auth().oauth2(admin).when().get("/api/v1/models/compare?ids=m1,zz").then().statusCode(404)
                .body("detail", equalTo("no model zz"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"reason\": \"r\"}").when()
                .post("/api/v1/models/m1/promote").then().statusCode(200).body("previousModelId", equalTo("m0"))
                .body("promotedBy", equalTo("admin"));
        given().auth().oauth2(token("ana", "MX-09-04", "analyst")).contentType(ContentType.JSON).body("{}").when()
                .post("/api/v1/models/m1/promote").then().statusCode(403);
        // the fake ensemble does not implement ListPromotions
        given().auth().oauth2(admin).when().get("/api/v1/models/promotions").then().statusCode(501)
                .contentType("application/problem+json").body("title", equalTo("Not implemented"));
    }
}
