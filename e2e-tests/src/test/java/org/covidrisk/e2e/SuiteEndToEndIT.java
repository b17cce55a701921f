package org.covidrisk.e2e;

import static io.restassured.RestAssured.given;
import static org.covidrisk.e2e.SharedSuite.FIXTURE;
import static org.covidrisk.e2e.SharedSuite.PG;
import static org.covidrisk.e2e.SharedSuite.PG_USER;
import static org.covidrisk.e2e.SharedSuite.ROOT;
import static org.covidrisk.e2e.SharedSuite.home;
import static org.covidrisk.e2e.SharedSuite.other;
import static org.covidrisk.e2e.SharedSuite.patientOf;
import static org.covidrisk.e2e.SharedSuite.storedPatients;
import static org.covidrisk.e2e.SharedSuite.token;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.TreeSet;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import io.restassured.http.ContentType;

/**
 * The whole suite end to end with real parts: Keycloak 26.7.3 with the realm of deploy/keycloak, the five services
 * as separate processes talking gRPC, PostgreSQL as the store. Uploads the shared DGE 2022 fixture, trains, scores,
 * and checks security and tenancy on the way. Runs first of the end-to-end classes (it expects an empty store); the
 * suite is shared with them ({@link SharedSuite}).
 */
@ExtendWith(SharedSuite.class)
@org.junit.jupiter.api.Order(1)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SuiteEndToEndIT {

    @Test
    @Order(1)
    void withoutATokenTheGatewayAnswers401ProblemJson() {
        given().contentType("text/csv").header("Batch-Id", "x").body("a,b\n").post("/api/v1/uploads/dge").then()
                .statusCode(401).contentType(startsWith("application/problem+json")).body("status", equalTo(401));
        given().auth().oauth2("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.").get("/api/v1/me").then().statusCode(401);
    }

    @Test
    @Order(2)
    void aStewardOfOneHospitalCannotUploadOthersRowsAndNothingIsStored() throws Exception {
        String steward = token("steward-09-04"); // a demo hospital, none of the fixture's
        given().auth().oauth2(steward).contentType("text/csv").header("Batch-Id", "fixture-wrong-steward")
                .body(FIXTURE.toFile()).post("/api/v1/uploads/dge").then().statusCode(403)
                .contentType(startsWith("application/problem+json"))
                .body("errors[0].field", equalTo("line 2, column ENTIDAD_UM/SECTOR"));
        assertEquals(0, storedPatients());
        given().auth().oauth2(token("clinician-home")).contentType("text/csv").header("Batch-Id", "c")
                .body(FIXTURE.toFile()).post("/api/v1/uploads/dge").then().statusCode(403);
    }

    @Test
    @Order(3)
    void theFixtureIsStoredOnceWithEveryRow() throws Exception {
        String steward = token("steward-fixture");
        given().auth().oauth2(steward).contentType("text/csv").header("Batch-Id", "fixture-2022")
                .body(FIXTURE.toFile()).post("/api/v1/uploads/dge?fileName=COVID19MEXICO-2022-fixture.csv").then()
                .statusCode(200).body("rowsStored", equalTo(2000)).body("deaths", equalTo(40))
                .body("layout", equalTo("DGE_2022")).body("replayed", equalTo(false));
        assertEquals(2000, storedPatients());
        given().auth().oauth2(steward).contentType("text/csv").header("Batch-Id", "fixture-2022")
                .body(FIXTURE.toFile()).post("/api/v1/uploads/dge").then().statusCode(200)
                .body("replayed", equalTo(true));
        assertEquals(2000, storedPatients(), "idempotent: nothing stored twice");
    }

    @Test
    @Order(4)
    void aModelAdminTrainsAndOthersCannot() throws Exception {
        given().auth().oauth2(token("clinician-home")).contentType(ContentType.JSON).body("{}").post("/api/v1/models")
                .then().statusCode(403).contentType(startsWith("application/problem+json"));
        var m = given().auth().oauth2(token("model-admin")).contentType(ContentType.JSON)
                .body("{\"learner\":\"logistic\",\"stage\":4,\"seed\":42,\"promote\":true}").post("/api/v1/models")
                .then().statusCode(200).body("nTrain", equalTo(2000)).body("nDeaths", equalTo(40))
                .body("active", equalTo(true)).body("provenance.seed", equalTo(42)).extract().jsonPath();
        double auroc = m.getDouble("metrics.auroc");
        System.out.printf("[e2e] logistic stage-4 on the 2022 fixture: hold-out AUROC %.3f (seed 42, 20%% split)%n",
                auroc);
        assertTrue(auroc > 0.6, "hold-out AUROC " + auroc);

        // the same with the population meta-features, computed by feature-service inside the training split
        var meta = given().auth().oauth2(token("model-admin")).contentType(ContentType.JSON)
                .body("{\"stage\":4,\"seed\":42,\"promote\":false,\"populationMetaFeatures\":true,"
                        + "\"neighbours\":50}")
                .post("/api/v1/models").then().statusCode(200).body("active", equalTo(false))
                .body("provenance.populationMetaFeatures.k", equalTo(50)).extract().jsonPath();
        System.out.printf("[e2e] + population meta-features (K 50): hold-out AUROC %.3f%n",
                meta.getDouble("metrics.auroc"));
    }

    @Test
    @Order(5)
    void aClinicianScoresAndRiskFollowsTheClinicalPicture() throws Exception {
        String doc = token("clinician-home");
        String high = "{\"age\":82,\"sex\":\"male\",\"covidStatus\":\"confirmed\",\"pneumonia\":true,"
                + "\"hospitalised\":true,\"intubated\":true,\"icu\":true,\"diabetes\":true,\"hypertension\":true}";
        String low = "{\"age\":24,\"sex\":\"female\",\"covidStatus\":\"negative\",\"pneumonia\":false,"
                + "\"hospitalised\":false,\"diabetes\":false,\"hypertension\":false}";
        double pHigh = given().auth().oauth2(doc).contentType(ContentType.JSON).body(high).post("/api/v1/scores")
                .then().statusCode(200).body("hospital", equalTo(home)).body("stage", equalTo(4)).extract()
                .jsonPath().getDouble("probability");
        double pLow = given().auth().oauth2(doc).contentType(ContentType.JSON).body(low).post("/api/v1/scores").then()
                .statusCode(200).extract().jsonPath().getDouble("probability");
        System.out.printf("[e2e] high-risk %.3f, low-risk %.3f%n", pHigh, pLow);
        assertTrue(pHigh >= 0 && pHigh <= 1 && pLow >= 0 && pLow <= 1);
        assertTrue(pHigh > pLow + 0.2, pHigh + " vs " + pLow);

        given().auth().oauth2(doc).contentType(ContentType.JSON).body("{\"sex\":\"male\"}").post("/api/v1/scores")
                .then().statusCode(400).body("errors[0].field", equalTo("age"));
        given().auth().oauth2(token("analyst-home")).contentType(ContentType.JSON).body(high).post("/api/v1/scores")
                .then().statusCode(403);
    }

    @Test
    @Order(6)
    void tenancyHoldsAcrossHospitals() throws Exception {
        String doc = token("clinician-home");
        given().auth().oauth2(doc).get("/api/v1/patients/" + patientOf.get(home)).then().statusCode(200)
                .body("hospital", equalTo(home)).body("patientId", equalTo(patientOf.get(home)));
        given().auth().oauth2(doc).post("/api/v1/patients/" + patientOf.get(home) + "/score").then().statusCode(200)
                .body("hospital", equalTo(home));
        given().auth().oauth2(doc).get("/api/v1/patients/" + patientOf.get(other)).then().statusCode(404)
                .contentType(startsWith("application/problem+json")).body("detail", containsString("your hospital"));
        given().auth().oauth2(doc).post("/api/v1/patients/" + patientOf.get(other) + "/score").then().statusCode(404);
        var me = given().auth().oauth2(doc).get("/api/v1/me").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(home), me.getList("hospitals"));
        assertEquals(new TreeSet<>(List.of(home)), new TreeSet<>(me.getList("hospitals", String.class)));
    }

    @Test
    @Order(7)
    void openApiIsServed() {
        given().get("/q/openapi?format=json").then().statusCode(200).body("info.title",
                equalTo("COVID-19 mortality risk API"));
    }

    @Test
    @Order(8)
    void anXrayIsStoredOnceAndScoredFromTheStoreThroughEnsemble() throws Exception {
        String patient = patientOf.get(home);
        String doc = token("clinician-home");
        String before = given().auth().oauth2(doc).post("/api/v1/patients/" + patient + "/score").then()
                .statusCode(200).extract().jsonPath().getString("imageNote");
        assertTrue(before.startsWith("no chest X-ray is stored for this patient"), before);

        byte[] png = Files.readAllBytes(ROOT.resolve("e2e-tests/target/e2e-run/xrays/images/synthetic-0-0.png"));
        String steward = token("steward-fixture");
        String sha = given().auth().oauth2(steward).contentType("image/png").body(png)
                .post("/api/v1/patients/" + patient + "/images?view=PA&studyTime=2022-01-10&hospital=" + home).then()
                .statusCode(200).body("hospital", equalTo(home)).body("mediaType", equalTo("image/png"))
                .body("replayed", equalTo(false)).extract().jsonPath().getString("sha256");
        given().auth().oauth2(steward).contentType("image/png").body(png).post("/api/v1/patients/" + patient
                + "/images?hospital=" + home).then().statusCode(200).body("sha256", equalTo(sha))
                .body("replayed", equalTo(true));
        given().auth().oauth2(steward).contentType("image/jpeg").body(java.util.Arrays.copyOf(png, png.length / 2))
                .post("/api/v1/patients/" + patient + "/images?hospital=" + home).then().statusCode(400)
                .contentType(startsWith("application/problem+json")).body("errors[0].field", equalTo("image"))
                .body("errors[0].reason", equalTo("PNG data is truncated: no IEND chunk at the end"));
        try (Connection c = DriverManager.getConnection(PG + SharedSuite.db("ingest"), PG_USER, "");
                Statement st = c.createStatement();
                ResultSet r = st.executeQuery("SELECT count(*) FROM xray_image WHERE patient_key = '" + patient
                        + "' AND hospital = '" + home + "'")) {
            r.next();
            assertEquals(1, r.getLong(1), "stored once, the refused upload left nothing");
        }

        var score = given().auth().oauth2(doc).post("/api/v1/patients/" + patient + "/images/score").then()
                .statusCode(200).body("hasImage", equalTo(true)).body("imageSha256", equalTo(sha)).extract()
                .jsonPath();
        double p = score.getDouble("probability");
        System.out.printf("[e2e] X-ray of a stored patient scored by the CNN through the image store: %.3f%n", p);
        assertTrue(p > 0 && p < 1, "a probability: " + p);
        // the model that gave it, and where that comes from, as an analyst reads it
        given().auth().oauth2(token("analyst-home")).get("/api/v1/imaging/model").then().statusCode(200)
                .body("deployed", equalTo(true)).body("modelVersion", equalTo(score.getString("modelVersion")))
                .body("task", equalTo("survival")).body("trainPatients", greaterThan(0))
                .body("versions.engine", equalTo("PyTorch 2.7.1"));
        String after = given().auth().oauth2(doc).post("/api/v1/patients/" + patient + "/score").then()
                .statusCode(200).extract().jsonPath().getString("imageNote");
        assertFalse(after.startsWith("no chest X-ray is stored"), "ensemble now sees the X-ray: " + after);
        given().auth().oauth2(token("analyst-home")).post("/api/v1/patients/" + patient + "/images/score").then()
                .statusCode(403);
    }

    @Test
    @Order(9)
    void aModelAdminTrainsTheCnnOnStoredXraysAndDeploysItWithoutARestart() throws Exception {
        List<String> patients = SharedSuite.ensureTrainingXrays();
        String admin = token("model-admin");
        String before = given().auth().oauth2(admin).get("/api/v1/imaging/model").then().statusCode(200).extract()
                .jsonPath().getString("modelVersion");
        var trained = given().auth().oauth2(admin).contentType("application/json")
                .body("{\"epochs\":2,\"seed\":11,\"deploy\":true}").post("/api/v1/imaging/models").then()
                .statusCode(200).body("model.deployed", equalTo(true)).body("basedOn", equalTo(before))
                .body("model.trainingEpochs", equalTo(2)).body("model.seed", equalTo(11)).extract().jsonPath();
        int n = trained.getInt("trainPatients") + trained.getInt("holdoutPatients");
        assertTrue(n >= patients.size(), "every seeded patient (and any other stored X-ray): " + n);
        assertTrue(trained.getInt("holdoutDeaths") >= 1, "a death held out");
        double auroc = trained.getDouble("holdoutAuroc");
        Double aurocBefore = trained.getObject("holdoutAurocBefore", Double.class);
        assertTrue(aurocBefore != null, "the model it started from, on the same hold-out");
        System.out.printf("[e2e] X-ray CNN trained through the gateway on %d patients in %.1f s: hold-out AUROC %.3f "
                + "(the model it started from: %.3f, %d patients)%n", trained.getInt("trainPatients"),
                trained.getDouble("trainingSeconds"), auroc, aurocBefore, trained.getInt("holdoutPatients"));
        String now = trained.getString("model.modelVersion");
        assertTrue(!now.equals(before), "a new version");
        given().auth().oauth2(token("analyst-home")).get("/api/v1/imaging/model").then().statusCode(200)
                .body("modelVersion", equalTo(now)).body("trainPatients", equalTo(trained.getInt("trainPatients")));
        given().auth().oauth2(token("clinician-home")).post("/api/v1/patients/" + patients.get(0) + "/images/score")
                .then().statusCode(200).body("hasImage", equalTo(true)).body("modelVersion", equalTo(now));
        // a clinician may not train it
        given().auth().oauth2(token("clinician-home")).contentType("application/json").body("{}")
                .post("/api/v1/imaging/models").then().statusCode(403);
    }
}
