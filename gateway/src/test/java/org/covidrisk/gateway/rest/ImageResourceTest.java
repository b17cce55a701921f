package org.covidrisk.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.nullValue;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import org.covidrisk.platform.testing.TestTokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class ImageResourceTest {

    static String token(String role) {
        return TestTokens.token(role, List.of("MX-09-04"), role);
    }

    @Test
    void aStewardUploadsAnXrayStreamedInChunks() throws Exception {
        byte[] png = new byte[1000];
        png[0] = (byte) 0x89;
        for (int i = 1; i < png.length; i++) {
            png[i] = (byte) i;
        }
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(png));
        given().auth().oauth2(token("data-steward")).contentType("image/png").body(png)
                .queryParam("view", "AP Supine").queryParam("studyTime", "2020-04-30").when()
                .post("/api/v1/patients/p-7/images").then().statusCode(200).body("sha256", equalTo(sha))
                .body("patientId", equalTo("p-7")).body("hospital", equalTo("MX-09-04"))
                .body("view", equalTo("AP Supine")).body("studyTime", equalTo("2020-04-30"))
                .body("sizeBytes", equalTo(1000)).body("replayed", equalTo(false))
                // the fake counts data messages in "width": 64-byte chunks in the test configuration
                .body("width", equalTo(16));
    }

    @Test
    void refusedImagesAndWrongTypesAreProblems() {
        given().auth().oauth2(token("data-steward")).contentType("image/jpeg").body("BAD bytes".getBytes()).when()
                .post("/api/v1/patients/p-7/images").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("image"))
                .body("errors[0].reason", equalTo("JPEG data is corrupt or truncated"));
        given().auth().oauth2(token("data-steward")).contentType("application/dicom").body(new byte[10]).when()
                .post("/api/v1/patients/p-7/images").then().statusCode(415).contentType("application/problem+json");
        given().auth().oauth2(token("clinician")).contentType("image/png").body(new byte[10]).when()
                .post("/api/v1/patients/p-7/images").then().statusCode(403).contentType("application/problem+json");
    }

    @Test
    void aClinicianGetsTheCnnScoreOrWhyThereIsNone() {
        given().auth().oauth2(token("clinician")).when().post("/api/v1/patients/p-7/images/score").then()
                .statusCode(200).body("hasImage", equalTo(true)).body("probability", equalTo(0.42f))
                .body("imageSha256", equalTo("ab".repeat(32))).body("reason", nullValue());
        given().auth().oauth2(token("clinician")).when().post("/api/v1/patients/p-none/images/score").then()
                .statusCode(200).body("hasImage", equalTo(false)).body("probability", nullValue())
                .body("reason", equalTo("no chest X-ray is stored for this patient"));
        given().auth().oauth2(token("analyst")).when().post("/api/v1/patients/p-7/images/score").then()
                .statusCode(403);
    }

    @Test
    void theDeployedCnnAndItsProvenanceAreReadableByThoseWhoUseOrJudgeItsScores() {
        given().auth().oauth2(token("analyst")).when().get("/api/v1/imaging/model").then().statusCode(200)
                .body("deployed", equalTo(true)).body("modelVersion", equalTo("tiny@1"))
                .body("architecture", equalTo("resnet-basic[1,1,1,1]-w4-grey32-2class"))
                .body("pretrainingEpochs", equalTo(8)).body("trainingEpochs", equalTo(10))
                .body("trainImages", equalTo(490)).body("trainPatients", equalTo(76))
                .body("dataSha256", equalTo("cd".repeat(32))).body("versions.engine", equalTo("PyTorch 2.7.1"))
                .body("workers", equalTo(2)).body("maxBatch", equalTo(16)).body("queueCapacity", equalTo(32));
        given().auth().oauth2(token("clinician")).when().get("/api/v1/imaging/model").then().statusCode(200)
                .body("modelVersion", equalTo("tiny@1"));
        given().auth().oauth2(token("data-steward")).when().get("/api/v1/imaging/model").then().statusCode(403)
                .contentType("application/problem+json");
    }

    @Test
    void aModelAdminTrainsTheCnnAndSeesItNextToTheModelItStartedFrom() {
        given().auth().oauth2(token("model-admin")).contentType("application/json")
                .body("{\"epochs\":3,\"seed\":5,\"deploy\":true}").when().post("/api/v1/imaging/models").then()
                .statusCode(200).body("model.deployed", equalTo(true)).body("model.modelVersion", equalTo("tiny@2"))
                .body("model.trainingEpochs", equalTo(3)).body("model.seed", equalTo(5))
                .body("model.workers", equalTo(2))
                .body("basedOn", equalTo("tiny@1")).body("holdoutPatients", equalTo(10))
                .body("holdoutDeaths", equalTo(2)).body("holdoutAuroc", equalTo(0.75f))
                .body("holdoutAurocBefore", equalTo(0.625f))
                .body("skipped.'image refused: not an image'", equalTo(1)).body("trainingSeconds", equalTo(12.5f));
        // kept, not deployed: described, without serving settings
        given().auth().oauth2(token("model-admin")).contentType("application/json").body("{\"epochs\":1}").when()
                .post("/api/v1/imaging/models").then().statusCode(200).body("model.deployed", equalTo(false))
                .body("model.modelVersion", equalTo("tiny@2")).body("model.workers", nullValue());
        given().auth().oauth2(token("model-admin")).contentType("application/json").body("{\"epochs\":51}").when()
                .post("/api/v1/imaging/models").then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(token("model-admin")).contentType("application/json").body("{\"epochs\":7}").when()
                .post("/api/v1/imaging/models").then().statusCode(409).contentType("application/problem+json")
                .body("errors[0].field", equalTo("cohort"));
        given().auth().oauth2(token("analyst")).contentType("application/json").body("{}").when()
                .post("/api/v1/imaging/models").then().statusCode(403);
    }

    @Test
    void aFullImagingQueueIs503WithRetryAfterWhileTooLargeUploadsStay413() {
        given().auth().oauth2(token("clinician")).when().post("/api/v1/patients/" + FakeImaging.BUSY
                + "/images/score").then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", "2").body("title", equalTo("Service busy"))
                .body("detail", equalTo("every X-ray predictor is busy and 4 requests are waiting; retry later"));
        given().auth().oauth2(token("data-steward")).contentType("text/csv").header("Batch-Id", "b-huge")
                .body("ID_REGISTRO,EDAD\nHUGE,1\n").when().post("/api/v1/uploads/dge").then().statusCode(413)
                .contentType("application/problem+json").body("title", equalTo("Too large"))
                .body("status", greaterThan(412));
    }
}
