package org.covidrisk.e2e;

import static io.restassured.RestAssured.given;
import static org.covidrisk.e2e.SharedSuite.home;
import static org.covidrisk.e2e.SharedSuite.other;
import static org.covidrisk.e2e.SharedSuite.patientOf;
import static org.covidrisk.e2e.SharedSuite.patientsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The access matrix, with real tokens from Keycloak against the real suite: every endpoint of the API × the six
 * roles × own / other hospital. Each cell asserts the exact status, and for a 200 that the body names no hospital
 * key and no patient id of a hospital other than the caller's (hospital-bound roles), or no patient id at all
 * (security-admin). Network-wide roles (model-admin, network-analyst) may see every hospital's rows.
 *
 * <p>
 * Own / other: for an endpoint with a hospital-bound target (a patient, an upload's rows, a managed user) the
 * caller is of the home hospital and the target of the home (own) or another (other) hospital. For an endpoint
 * without one, "other" is the same request by the role's user of the other hospital.
 */
@ExtendWith(SharedSuite.class)
@Order(2)
class SecurityMatrixIT {

    static final List<String> ROLES = List.of("clinician", "analyst", "data-steward", "model-admin",
            "network-analyst", "security-admin");
    static final Set<String> HOSPITAL_ROLES = Set.of("clinician", "analyst", "data-steward");

    /** How the "other" cell differs from "own". */
    enum Tenancy {
        /** No hospital in the request: other = a caller of the other hospital. */
        NONE,
        /** A patient of the target hospital: other → 404 (absence and foreignness look the same). */
        PATIENT,
        /** A batch score of the target hospital's patient: 200 with the item 404 for other. */
        BATCH,
        /** An upload of a row of the target hospital: other → 403. */
        UPLOAD,
        /** An upload's status: own = the caller's upload, other = another steward's (404). */
        UPLOAD_STATUS,
        /**
         * An X-ray score: own = a patient of the caller's hospital; other = another hospital's patient who has an
         * X-ray there: 200 with no image, the same answer as for a patient without one.
         */
        IMAGE_SCORE,
        /** A managed user of the target hospital: same answer. */
        USER
    }

    /** One side of a cell: who calls, with which target hospital. */
    record Cell(String role, boolean own, String callerHospital, String targetHospital, int index) {
    }

    /** An endpoint of the matrix. */
    record Endpoint(String name, String method, Function<Cell, String> path, Function<Cell, Object> body,
            String contentType, Set<String> allowed, Tenancy tenancy) {
    }

    static final AtomicInteger cells = new AtomicInteger();
    static final AtomicInteger passed = new AtomicInteger();
    static final List<String> failures = new ArrayList<>();
    static final Map<String, String> tokens = new LinkedHashMap<>();
    static final Map<String, Long> tokenTimes = new LinkedHashMap<>();
    static String activeModel;
    static List<String> twoModels;
    static byte[] pngOwn;
    static byte[] pngOther;
    static String admissionsHeader;
    static String admissionsRow;
    static List<String> tongji;
    static String fhirBundle;

    @BeforeAll
    static void setUp() throws Exception {
        SharedSuite.ensureCohortAndModel();
        SharedSuite.ensureTrainingXrays();
        Path xrays = SharedSuite.config.runDir().resolve("xrays/images");
        pngOwn = Files.readAllBytes(xrays.resolve("synthetic-0-0.png"));
        pngOther = Files.readAllBytes(xrays.resolve("synthetic-1-0.png"));
        // the other hospital's patient has an X-ray of its own, which no home caller may get a score of
        given().auth().oauth2(SharedSuite.token("steward-fixture")).contentType("image/png")
                .body(Files.readAllBytes(xrays.resolve("synthetic-1-1.png")))
                .post("/api/v1/patients/" + patientOf.get(other) + "/images?hospital=" + other).then()
                .statusCode(200);
        // the ingest tests' synthetic admission files, re-keyed per cell
        Path admission = SharedSuite.ROOT.resolve("ingest-service/src/test/resources/admission");
        List<String> adm = Files.readAllLines(admission.resolve("admissions.csv"));
        admissionsHeader = adm.get(0);
        admissionsRow = adm.get(1);
        tongji = Files.readAllLines(admission.resolve("tongji-synthetic.csv")).subList(0, 3);
        fhirBundle = Files.readString(admission.resolve("fhir-bundle.json"));
        for (String role : HOSPITAL_ROLES) {
            SharedSuite.createUser("mx-" + role + "-home", role, List.of(home));
            SharedSuite.createUser("mx-" + role + "-other", role, List.of(other));
        }
        SharedSuite.createUser("mx-target-home", "clinician", List.of(home));
        SharedSuite.createUser("mx-target-other", "clinician", List.of(other));
        String admin = token("model-admin");
        var models = given().auth().oauth2(admin).get("/api/v1/models").then().statusCode(200).extract().jsonPath();
        if (models.getList("").size() < 2) {
            given().auth().oauth2(admin).contentType("application/json")
                    .body("{\"learner\":\"logistic\",\"stage\":1,\"seed\":3,\"promote\":false}").post("/api/v1/models")
                    .then().statusCode(200);
            models = given().auth().oauth2(admin).get("/api/v1/models").then().statusCode(200).extract().jsonPath();
        }
        ensureAdmissionModel(admin);
        models = given().auth().oauth2(admin).get("/api/v1/models").then().statusCode(200).extract().jsonPath();
        List<String> ids = models.getList("modelId");
        twoModels = ids.subList(0, 2);
        activeModel = models.getString("find { it.active && it.stage == 4 }.modelId");
    }

    /**
     * An active admissions model for the admission score route: 60 planted admissions of the home hospital (death
     * mostly above 62 years), uploaded once (a replay afterwards), and a logistic admissions model promoted.
     */
    static void ensureAdmissionModel(String admin) throws Exception {
        StringBuilder csv = new StringBuilder(
                "patient_id,hospital,admission_time,age,sex,crp,crp_unit,outcome,outcome_time\n");
        for (int i = 0; i < 60; i++) {
            int age = 30 + i;
            boolean died = age > 62 ? i % 7 != 0 : i % 9 == 0;
            csv.append("mx-adm-").append(i).append(',').append(home).append(",2021-03-01T09:00,").append(age)
                    .append(i % 2 == 0 ? ",M," : ",F,").append(10 + 3 * i).append(",mg/L,")
                    .append(died ? "died" : "discharged").append(",2021-03-10\n");
        }
        given().auth().oauth2(SharedSuite.token("steward-fixture")).contentType("text/csv")
                .header("Batch-Id", "matrix-admission-model").body(csv.toString())
                .post("/api/v1/uploads/admissions").then().statusCode(200);
        var models = given().auth().oauth2(admin).get("/api/v1/models").then().statusCode(200).extract().jsonPath();
        if (models.getList("findAll { it.active && it.cohort == 'admissions' }").isEmpty()) {
            given().auth().oauth2(admin).contentType("application/json")
                    .body("{\"cohort\":\"admissions\",\"learner\":\"logistic\",\"seed\":5,\"promote\":true}")
                    .post("/api/v1/models").then().statusCode(200);
        }
    }

    @AfterAll
    static void report() {
        System.out.printf(
                "[e2e] access matrix: %d endpoints x %d roles x 2 hospitals = %d cells; %d passed, %d failed%n",
                ENDPOINTS.size(), ROLES.size(), cells.get(), passed.get(), failures.size());
        failures.forEach(f -> System.out.println("[e2e]   failed: " + f));
        assertEquals(ENDPOINTS.size() * ROLES.size() * 2, cells.get(), "every cell ran");
    }

    static String token(String user) throws Exception {
        Long at = tokenTimes.get(user);
        // Keycloak tokens live 15 minutes; a slow matrix renews them
        if (at == null || System.currentTimeMillis() - at > 10 * 60_000) {
            tokens.put(user, SharedSuite.token(user));
            tokenTimes.put(user, System.currentTimeMillis());
        }
        return tokens.get(user);
    }

    static String userOf(Cell c) {
        if (!HOSPITAL_ROLES.contains(c.role())) {
            return c.role(); // demo users model-admin, network-analyst, security-admin (no hospital)
        }
        return "mx-" + c.role() + "-" + (c.callerHospital().equals(home) ? "home" : "other");
    }

    static String patient(Cell c) {
        return patientOf.get(c.targetHospital());
    }

    /** The batch id an upload cell of this caller used. */
    static String batchId(Endpoint e, Cell c) {
        return "matrix-" + e.name().replace(' ', '-') + "-" + userOf(c) + "-" + (c.own() ? "own" : "other");
    }

    /** Own: the caller's DGE upload of the matrix; other: the fixture, uploaded by another steward. */
    static String statusBatch(Cell c) {
        Endpoint dge = ENDPOINTS.stream().filter(x -> x.name().equals("upload")).findFirst().orElseThrow();
        return c.own() ? batchId(dge, c) : "fixture-2022";
    }

    static String targetUser(Cell c) {
        return c.targetHospital().equals(home) ? "mx-target-home" : "mx-target-other";
    }

    static final String AD_HOC = "{\"age\":67,\"sex\":\"female\",\"covidStatus\":\"confirmed\",\"pneumonia\":true,"
            + "\"hospitalised\":true,\"intubated\":false,\"icu\":false,\"diabetes\":false}";

    static final String AD_HOC_ADMISSION = "{\"age\":71,\"sex\":\"male\",\"labs\":[{\"code\":\"crp\",\"value\":120,"
            + "\"unit\":\"mg/L\"}]}";

    static final Set<String> CLINICIAN = Set.of("clinician");
    static final Set<String> MODELS = Set.of("model-admin", "analyst", "network-analyst");
    static final Set<String> XRAY_MODEL = Set.of("clinician", "model-admin", "analyst", "network-analyst");

    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("who am I", "GET", c -> "/api/v1/me", c -> null, null, Set.copyOf(ROLES), Tenancy.NONE),
            new Endpoint("list patients", "GET", c -> "/api/v1/patients?pageSize=50", c -> null, null, CLINICIAN,
                    Tenancy.NONE),
            new Endpoint("read patient", "GET", c -> "/api/v1/patients/" + patient(c), c -> null, null, CLINICIAN,
                    Tenancy.PATIENT),
            new Endpoint("score stored patient", "POST", c -> "/api/v1/patients/" + patient(c) + "/score?stage=4",
                    c -> null, null, CLINICIAN, Tenancy.PATIENT),
            new Endpoint("score ad hoc", "POST", c -> "/api/v1/scores?stage=4", c -> AD_HOC, "application/json",
                    CLINICIAN, Tenancy.NONE),
            new Endpoint("score admission", "POST", c -> "/api/v1/scores/admission", c -> AD_HOC_ADMISSION,
                    "application/json", CLINICIAN, Tenancy.NONE),
            new Endpoint("score batch", "POST", c -> "/api/v1/scores/batch",
                    c -> "{\"patientIds\":[\"" + patient(c) + "\"],\"stage\":4}", "application/json", CLINICIAN,
                    Tenancy.BATCH),
            new Endpoint("upload", "POST", c -> "/api/v1/uploads/dge",
                    c -> SharedSuite.plantedCsv(c.targetHospital(), String.format("mtx%03d", c.index()), Map.of()),
                    "text/csv", Set.of("data-steward"), Tenancy.UPLOAD),
            new Endpoint("upload admissions", "POST", c -> "/api/v1/uploads/admissions",
                    c -> admissionsHeader + "\n" + admissionsRow.replaceFirst("^syn-1,BR-SP-01,", "madm-"
                            + (c.own() ? "own" : "other") + "," + c.targetHospital() + ",") + "\n",
                    "text/csv", Set.of("data-steward"), Tenancy.UPLOAD),
            new Endpoint("upload tongji", "POST", c -> "/api/v1/uploads/tongji?hospital=" + c.targetHospital(),
                    c -> tongji.get(0) + "\n" + tongji.get(1).replaceFirst("^1,", (9000 + c.index()) + ",") + "\n"
                            + tongji.get(2) + "\n",
                    "text/csv", Set.of("data-steward"), Tenancy.UPLOAD),
            new Endpoint("upload fhir", "POST", c -> "/api/v1/uploads/fhir",
                    c -> fhirBundle.replace("DE-BE-07", c.targetHospital()).replace("DE-BE-01", c.targetHospital())
                            .replace("fhir-syn-1", "mfhir-" + c.index()),
                    "application/fhir+json", Set.of("data-steward"), Tenancy.UPLOAD),
            new Endpoint("record outcomes", "POST", c -> "/api/v1/outcomes",
                    c -> "[{\"patientId\":\"madm-own\",\"hospital\":\"" + c.targetHospital()
                            + "\",\"outcome\":\"died\",\"outcomeTime\":\"2020-05-09T17:00\"}]",
                    "application/json", Set.of("data-steward"), Tenancy.UPLOAD),
            new Endpoint("upload status", "GET", c -> "/api/v1/uploads/" + statusBatch(c), c -> null, null,
                    Set.of("data-steward"), Tenancy.UPLOAD_STATUS),
            new Endpoint("upload quarantine", "GET", c -> "/api/v1/uploads/" + statusBatch(c) + "/quarantine",
                    c -> null, null, Set.of("data-steward"), Tenancy.UPLOAD_STATUS),
            // the store keeps an X-ray under the hospital it is sent for: another hospital → 403
            new Endpoint("store X-ray", "POST", c -> "/api/v1/patients/" + patient(c) + "/images?view=PA&hospital="
                    + c.targetHospital(), c -> c.own() ? pngOwn : pngOther, "image/png", Set.of("data-steward"),
                    Tenancy.UPLOAD),
            new Endpoint("score X-ray", "POST", c -> "/api/v1/patients/" + patient(c) + "/images/score", c -> null,
                    null, CLINICIAN, Tenancy.IMAGE_SCORE),
            new Endpoint("X-ray model", "GET", c -> "/api/v1/imaging/model", c -> null, null, XRAY_MODEL,
                    Tenancy.NONE),
            // trained and kept, not deployed: the serving model stays as the other tests expect
            new Endpoint("train X-ray model", "POST", c -> "/api/v1/imaging/models",
                    c -> "{\"epochs\":1,\"seed\":" + (c.index() + 1) + ",\"deploy\":false}", "application/json",
                    Set.of("model-admin"), Tenancy.NONE),
            new Endpoint("list models", "GET", c -> "/api/v1/models", c -> null, null, MODELS, Tenancy.NONE),
            new Endpoint("train", "POST", c -> "/api/v1/models",
                    c -> "{\"learner\":\"logistic\",\"stage\":1,\"seed\":" + c.index() + ",\"promote\":false}",
                    "application/json", Set.of("model-admin"), Tenancy.NONE),
            new Endpoint("compare models", "GET", c -> "/api/v1/models/compare?ids=" + String.join(",", twoModels),
                    c -> null, null, MODELS, Tenancy.NONE),
            new Endpoint("promote", "POST", c -> "/api/v1/models/" + activeModel + "/promote",
                    c -> "{\"reason\":\"matrix\"}", "application/json", Set.of("model-admin"), Tenancy.NONE),
            new Endpoint("promotions", "GET", c -> "/api/v1/models/promotions", c -> null, null, MODELS,
                    Tenancy.NONE),
            new Endpoint("report", "GET", c -> "/api/v1/reports?stage=4", c -> null, null, MODELS, Tenancy.NONE),
            new Endpoint("audit log", "GET", c -> "/api/v1/audit?limit=200", c -> null, null,
                    Set.of("security-admin", "network-analyst"), Tenancy.NONE),
            new Endpoint("list users", "GET", c -> "/api/v1/admin/users?max=100", c -> null, null,
                    Set.of("security-admin"), Tenancy.NONE),
            new Endpoint("read user", "GET", c -> "/api/v1/admin/users/" + targetUser(c), c -> null, null,
                    Set.of("security-admin"), Tenancy.USER),
            new Endpoint("grant role", "PUT", c -> "/api/v1/admin/users/" + targetUser(c) + "/roles/analyst",
                    c -> null, null, Set.of("security-admin"), Tenancy.USER),
            new Endpoint("revoke role", "DELETE", c -> "/api/v1/admin/users/" + targetUser(c) + "/roles/analyst",
                    c -> null, null, Set.of("security-admin"), Tenancy.USER),
            new Endpoint("set hospitals", "PUT", c -> "/api/v1/admin/users/" + targetUser(c) + "/hospitals",
                    c -> "{\"hospitals\":[\"" + c.targetHospital() + "\"]}", "application/json",
                    Set.of("security-admin"), Tenancy.USER));

    @TestFactory
    Stream<DynamicTest> matrix() {
        List<DynamicTest> tests = new ArrayList<>();
        int index = 0;
        for (Endpoint e : ENDPOINTS) {
            for (String role : ROLES) {
                for (boolean own : List.of(true, false)) {
                    boolean callerMoves = e.tenancy() == Tenancy.NONE;
                    String caller = callerMoves && !own ? other : home;
                    String target = callerMoves ? caller : (own ? home : other);
                    Cell c = new Cell(role, own, caller, target, index++);
                    tests.add(DynamicTest.dynamicTest(e.name() + " | " + role + " | " + (own ? "own" : "other"),
                            () -> run(e, c)));
                }
            }
        }
        return tests.stream();
    }

    static int expected(Endpoint e, Cell c) {
        if (!e.allowed().contains(c.role())) {
            return 403;
        }
        return switch (e.tenancy()) {
            case PATIENT -> c.own() ? 200 : 404;
            case UPLOAD -> c.own() ? 200 : 403;
            case UPLOAD_STATUS -> c.own() ? 200 : 404;
            default -> 200;
        };
    }

    static void run(Endpoint e, Cell c) throws Exception {
        cells.incrementAndGet();
        String label = e.name() + " | " + c.role() + " | " + (c.own() ? "own" : "other");
        try {
            check(e, c);
            passed.incrementAndGet();
        } catch (AssertionError | RuntimeException ex) {
            synchronized (failures) {
                failures.add(label + ": " + ex.getMessage().lines().findFirst().orElse(""));
            }
            throw ex;
        }
    }

    static void check(Endpoint e, Cell c) throws Exception {
        RequestSpecification r = given().auth().oauth2(token(userOf(c)));
        Object payload = e.body().apply(c);
        String body = payload instanceof String text ? text : null;
        if (payload != null) {
            // bytes: RestAssured would encode a text/csv string as ISO-8859-1
            r = r.contentType(e.contentType()).body(payload instanceof byte[] b
                    ? b
                    : body.getBytes(StandardCharsets.UTF_8));
        }
        if (e.tenancy() == Tenancy.UPLOAD) {
            r = r.header("Batch-Id", batchId(e, c));
        }
        String path = e.path().apply(c);
        Response response = r.request(e.method(), path);
        int want = expected(e, c);
        String text = response.asString();
        assertEquals(want, response.statusCode(), e.method() + " " + path + " answered " + response.statusCode()
                + ": " + (text.length() > 300 ? text.substring(0, 300) : text));
        if (want != 200) {
            assertTrue(response.contentType().startsWith("application/problem+json"), "problem+json");
            return;
        }
        if (e.tenancy() == Tenancy.IMAGE_SCORE) {
            assertEquals(c.own(), response.jsonPath().getBoolean("hasImage"), "hasImage");
        }
        if (e.tenancy() == Tenancy.BATCH) {
            assertEquals(c.own() ? 200 : 404, response.jsonPath().getInt("items[0].status"), "batch item");
        }
        // what the caller sent may come back (a batch item names the id it was asked for); nothing else may
        String sent = path + (body == null ? "" : body);
        if (HOSPITAL_ROLES.contains(c.role())) {
            for (var entry : patientsOf.entrySet()) {
                if (entry.getKey().equals(c.callerHospital())) {
                    continue;
                }
                assertTrue(!text.contains(entry.getKey()), "names hospital " + entry.getKey() + ": " + path);
                for (String id : entry.getValue()) {
                    assertTrue(sent.contains(id) || !text.contains("\"" + id + "\""),
                            "names patient " + id + " of " + entry.getKey());
                }
            }
        } else if (c.role().equals("security-admin")) {
            for (List<String> ids : patientsOf.values()) {
                for (String id : ids) {
                    assertTrue(!text.contains("\"" + id + "\""), "a security admin sees patient " + id);
                }
            }
        }
    }
}
