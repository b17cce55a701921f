package org.covidrisk.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.covidrisk.cli.suite.ManagedProcess;
import org.covidrisk.cli.suite.Suite;
import org.covidrisk.cli.suite.SuiteConfig;
import org.covidrisk.cli.suite.Tokens;
import org.covidrisk.cli.xray.DemoXrays;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/**
 * The suite of real processes, started ONCE for every end-to-end class of the run (a start costs minutes on a small
 * machine) and stopped when the run ends: Keycloak 26.7.3 with the realm of deploy/keycloak, the five services,
 * PostgreSQL databases of their own. Classes opt in with {@code @ExtendWith(SharedSuite.class)}; the first one starts
 * it, the root store closes it after the last. Stopping checks that nothing is left running or listening.
 */
public final class SharedSuite implements BeforeAllCallback {

    static final Path ROOT = Path.of(System.getProperty("covid.root", "..")).toAbsolutePath().normalize();
    static final Path FIXTURE = ROOT.resolve("../shared/data/mexico-dge-2022-fixture/COVID19MEXICO-2022-fixture.csv")
            .normalize();
    static final String PG = "jdbc:postgresql://127.0.0.1:5432/";
    static final String PG_USER = System.getProperty("covid.test.pg.user", "postgres");
    /**
     * Databases are named {@code <prefix>_ingest|ensemble|gateway} and ports shifted by an offset, so that two
     * checkouts on one machine can run their end-to-end tests at once ({@code -Dcovid.e2e.db-prefix},
     * {@code -Dcovid.e2e.port-offset}; keep the ports below the ephemeral range, 32768, e.g. offset 2000).
     */
    static final String DB_PREFIX = System.getProperty("covid.e2e.db-prefix", "covid_e2e");
    static final int PORT_OFFSET = Integer.getInteger("covid.e2e.port-offset", 0);
    static final List<Integer> PORTS = List.of(28180, 28080, 28091, 28092, 28093, 28094).stream()
            .map(p -> p + PORT_OFFSET).toList();
    /** Password of the users the tests create. */
    static final String E2E_PASSWORD = "e2e-pass";

    static Suite suite;
    static SuiteConfig config;
    /** Fixture hospital -> one of its patient ids; the largest hospital first. */
    static final Map<String, String> patientOf = new LinkedHashMap<>();
    /** Fixture hospital -> every patient id of it. */
    static final Map<String, List<String>> patientsOf = new LinkedHashMap<>();
    /** Fixture hospital -> its first data line, as a template for planted rows. */
    static final Map<String, String> lineOf = new LinkedHashMap<>();
    static String header;
    static String home;
    static String other;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        assumeTrue("postgresql".equals(System.getProperty("covid.db-kind")),
                "skipped: services were built for the embedded database; run ./covid-risk test (PostgreSQL build)");
        assumeTrue(Files.exists(FIXTURE), "skipped: ../shared/data is absent (DGE 2022 fixture needed)");
        assumeTrue(reachable(5432), "skipped: no PostgreSQL on 127.0.0.1:5432");
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent(SharedSuite.class,
                k -> start(), Stopper.class);
    }

    /** Closes the suite when the whole run is over. */
    static final class Stopper implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            if (suite == null) {
                return;
            }
            List<ManagedProcess> processes = suite.processes();
            suite.close();
            List<String> left = new ArrayList<>();
            for (ManagedProcess p : processes) {
                if (p.isAlive()) {
                    left.add(p.name() + " still running");
                }
            }
            for (int port : PORTS) {
                if (reachable(port)) {
                    left.add("port " + port + " still listening");
                }
            }
            suite = null;
            if (!left.isEmpty()) {
                throw new IllegalStateException("after stop: " + left);
            }
        }
    }

    private static Stopper start() {
        try {
            for (String db : List.of(db("ingest"), db("ensemble"), db("gateway"))) {
                try (Connection c = DriverManager.getConnection(PG + "postgres", PG_USER, "");
                        Statement s = c.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
                    s.execute("CREATE DATABASE " + db);
                }
            }
            readFixture();
            Path run = ROOT.resolve("e2e-tests/target/e2e-run");
            Map<String, String> dbs = new LinkedHashMap<>();
            dbs.put("ingest", PG + db("ingest"));
            dbs.put("ensemble", PG + db("ensemble"));
            dbs.put("gateway", PG + db("gateway"));
            config = new SuiteConfig(ROOT, run, ROOT.resolve(".covid-risk/keycloak-" + SuiteConfig.KEYCLOAK_VERSION),
                    28180 + PORT_OFFSET, 28080 + PORT_OFFSET, 28091 + PORT_OFFSET, dbs, PG_USER);
            // imaging-service loads its model at start: train the demo's on synthetic X-rays first (the launcher
            // deploys <run>/imaging-model)
            var xrays = DemoXrays.prepare(run, 7);
            System.out.printf("[e2e] X-ray model %s trained in %.1f s%n", xrays.architecture(), xrays.seconds());
            long t0 = System.nanoTime();
            suite = Suite.start(config, line -> System.out.println("[e2e] " + line));
            System.out.printf("[e2e] suite started in %.1f s, RSS %d MiB across %d processes%n",
                    (System.nanoTime() - t0) / 1e9, suite.totalRssKb() / 1024, suite.processes().size());
            RestAssured.baseURI = config.gatewayUrl();
            createUser("steward-fixture", "data-steward", new ArrayList<>(patientOf.keySet()));
            createUser("clinician-home", "clinician", List.of(home));
            createUser("analyst-home", "analyst", List.of(home));
            return new Stopper();
        } catch (Exception e) {
            if (suite != null) {
                suite.close();
                suite = null;
            }
            throw new IllegalStateException("the suite did not start", e);
        }
    }

    /** The database of a service (ingest, ensemble, gateway) in this run. */
    static String db(String service) {
        return DB_PREFIX + "_" + service;
    }

    static boolean reachable(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void readFixture() throws IOException {
        patientOf.clear();
        patientsOf.clear();
        lineOf.clear();
        List<String> lines = Files.readAllLines(FIXTURE);
        header = lines.get(0).replace("\uFEFF", "");
        List<String> names = List.of(header.replace("\"", "").split(","));
        int id = names.indexOf("ID_REGISTRO");
        int state = names.indexOf("ENTIDAD_UM");
        int sector = names.indexOf("SECTOR");
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, String> anyPatient = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] v = line.replace("\"", "").split(",");
            String h = hospitalOf(v[state], v[sector]);
            counts.merge(h, 1, Integer::sum);
            anyPatient.putIfAbsent(h, v[id]);
            lineOf.putIfAbsent(h, line);
            patientsOf.computeIfAbsent(h, k -> new ArrayList<>()).add(v[id]);
        }
        counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue())
                .forEach(e -> patientOf.put(e.getKey(), anyPatient.get(e.getKey())));
        var keys = new ArrayList<>(patientOf.keySet());
        home = keys.get(0);
        other = keys.get(1);
    }

    static String hospitalOf(String state, String sector) {
        return "MX-" + state + "-" + String.format("%02d", Integer.parseInt(sector));
    }

    /** A one-row DGE file of the hospital: its first fixture row under a new id, with field overrides. */
    static String plantedCsv(String hospital, String newId, Map<String, String> overrides) {
        List<String> names = List.of(header.replace("\"", "").split(","));
        String[] v = lineOf.get(hospital).split(",", -1);
        v[names.indexOf("ID_REGISTRO")] = "\"" + newId + "\"";
        overrides.forEach((k, value) -> v[names.indexOf(k)] = value);
        return header + "\n" + String.join(",", v) + "\n";
    }

    /** Creates a realm user through the master admin (test set-up, not the API under test). */
    static void createUser(String username, String role, List<String> hospitals) throws Exception {
        String admin = Tokens.admin(config.keycloakUrl(), Suite.KC_ADMIN, Suite.KC_ADMIN_PASSWORD);
        String base = config.keycloakUrl() + "/admin/realms/" + Tokens.REALM;
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("username", username);
        user.put("enabled", true);
        user.put("email", username + "@e2e.test");
        user.put("emailVerified", true);
        user.put("firstName", "E2E");
        user.put("lastName", username);
        if (!hospitals.isEmpty()) {
            user.put("attributes", Map.of("hospital", hospitals));
        }
        user.put("credentials", List.of(Map.of("type", "password", "value", E2E_PASSWORD, "temporary", false)));
        String location = given().auth().oauth2(admin).contentType(ContentType.JSON).body(user).post(base + "/users")
                .then().statusCode(201).extract().header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        if (role != null) {
            Map<String, Object> roleRep = given().auth().oauth2(admin).get(base + "/roles/" + role).then()
                    .statusCode(200).extract().as(Map.class);
            given().auth().oauth2(admin).contentType(ContentType.JSON).body(List.of(roleRep))
                    .post(base + "/users/" + id + "/role-mappings/realm").then().statusCode(204);
        }
    }

    /** A token of a demo user (realm JSON) or of a user the tests created. */
    static String token(String user) throws Exception {
        boolean demo = List.of("model-admin", "network-analyst", "security-admin").contains(user)
                || user.matches("(steward|clinician|analyst)-\\d\\d-\\d\\d");
        return Tokens.password(config.keycloakUrl(), user, demo ? Tokens.DEMO_PASSWORD : E2E_PASSWORD);
    }

    static long count(String database, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(PG + database, PG_USER, "");
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    static long storedPatients() throws SQLException {
        return count(db("ingest"), "SELECT count(*) FROM patient");
    }

    /**
     * The fixture stored and an active stage-4 model, whichever class runs first: the upload under the same batch id
     * is a replay when already stored.
     */
    static synchronized void ensureCohortAndModel() throws Exception {
        given().auth().oauth2(token("steward-fixture")).contentType("text/csv").header("Batch-Id", "fixture-2022")
                .body(FIXTURE.toFile()).post("/api/v1/uploads/dge?fileName=COVID19MEXICO-2022-fixture.csv").then()
                .statusCode(200);
        String admin = token("model-admin");
        List<Map<String, Object>> models = given().auth().oauth2(admin).get("/api/v1/models").then().statusCode(200)
                .extract().jsonPath().getList("");
        boolean active = models.stream().anyMatch(m -> Boolean.TRUE.equals(m.get("active"))
                && Integer.valueOf(4).equals(m.get("stage")));
        if (!active) {
            given().auth().oauth2(admin).contentType(ContentType.JSON)
                    .body("{\"learner\":\"logistic\",\"stage\":4,\"seed\":42,\"promote\":true}").post("/api/v1/models")
                    .then().statusCode(200);
        }
    }

    /** Patients of the home hospital given a synthetic X-ray for the CNN training tests (once per run). */
    static List<String> trainingXrayPatients;

    /**
     * Stores a synthetic X-ray (the demo's, one per patient) for 5 patients of the home hospital who died and 9 who
     * survived, through the gateway as the fixture's steward, whichever class needs them first: the cohort a model
     * admin trains the CNN on. The patient the X-ray scoring test starts without an image is left out.
     */
    static synchronized List<String> ensureTrainingXrays() throws Exception {
        if (trainingXrayPatients != null) {
            return trainingXrayPatients;
        }
        List<String> chosen = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(PG + db("ingest"), PG_USER, "")) {
            for (String sql : List.of(
                    "SELECT patient_key FROM patient WHERE hospital = ? AND died AND patient_key <> ? "
                            + "ORDER BY patient_key LIMIT 5",
                    "SELECT patient_key FROM patient WHERE hospital = ? AND NOT died "
                            + "AND patient_key <> ? ORDER BY patient_key LIMIT 9")) {
                try (var st = c.prepareStatement(sql)) {
                    st.setString(1, home);
                    st.setString(2, patientOf.get(home));
                    try (ResultSet r = st.executeQuery()) {
                        while (r.next()) {
                            chosen.add(r.getString(1));
                        }
                    }
                }
            }
        }
        Path images = config.runDir().resolve("xrays/images");
        String steward = token("steward-fixture");
        for (int i = 0; i < chosen.size(); i++) {
            // synthetic patients 10.. (the tests use 0 and 1), so each stored X-ray is distinct
            given().auth().oauth2(steward).contentType("image/png")
                    .body(Files.readAllBytes(images.resolve("synthetic-" + (10 + i) + "-0.png")))
                    .post("/api/v1/patients/" + chosen.get(i) + "/images?view=PA&hospital=" + home).then()
                    .statusCode(200);
        }
        trainingXrayPatients = List.copyOf(chosen);
        return trainingXrayPatients;
    }
}
