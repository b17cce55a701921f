package org.covidrisk.cli.command;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.covidrisk.cli.suite.Http;
import org.covidrisk.cli.suite.ManagedProcess;
import org.covidrisk.cli.suite.Suite;
import org.covidrisk.cli.suite.SuiteConfig;
import org.covidrisk.cli.suite.Tokens;
import org.covidrisk.cli.synth.SyntheticCohort;
import org.covidrisk.cli.xray.DemoXrays;
import org.covidrisk.cli.xray.XrayImport;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code covid-risk demo}: the whole suite on one machine with embedded databases, a synthetic cohort uploaded by
 * each hospital's data steward, a first model trained, and patients scored by a clinician; then it waits for
 * Ctrl-C and stops everything.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Start the suite, load a synthetic cohort, train a model, score patients; Ctrl-C stops all.")
public class DemoCommand implements Callable<Integer> {

    @Option(names = "--patients", defaultValue = "2000", description = "synthetic patients per hospital (default: ${DEFAULT-VALUE})")
    int patients;

    @Option(names = "--seed", defaultValue = "2021", description = "seed of the synthetic cohort (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--xray-patients", defaultValue = "8", description = "cohort patients of MX-09-04 given synthetic chest X-rays (default: ${DEFAULT-VALUE})")
    int xrayPatients;

    @Option(names = "--no-wait", description = "stop right after the walkthrough instead of waiting for Ctrl-C")
    boolean noWait;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        Path root = Path.of("").toAbsolutePath();
        SuiteConfig config = SuiteConfig.demo(root);
        // a demo starts from empty stores: the embedded databases and Keycloak (in memory) are fresh every run
        deleteTree(config.runDir().resolve("data"));
        Files.createDirectories(config.runDir());
        // before the suite starts: imaging-service loads its model once, at start
        say("training the demo chest X-ray CNN on seeded synthetic radiographs (seed " + seed + ")");
        xrays = DemoXrays.prepare(config.runDir(), seed);
        say(String.format("trained %s on %d labelled synthetic X-rays in %.0f s", xrays.architecture(),
                xrays.trainImages(), xrays.seconds()));
        say("starting the suite (logs in " + config.runDir().resolve("logs") + ")");
        Suite suite = Suite.start(config, DemoCommand::say);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            say("stopping every process of the suite");
            suite.close();
            stopped.countDown();
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            walkthrough(config);
        } catch (Exception e) {
            System.err.println("demo failed: " + e.getMessage());
            return 1;
        } finally {
            double seconds = (System.nanoTime() - t0) / 1e9;
            say(String.format("demo ready in %.0f s; suite RSS %d MiB across %d processes", seconds,
                    suite.totalRssKb() / 1024, suite.processes().size()));
        }
        System.out.println();
        System.out.println("Where to look next:");
        System.out.println("  gateway API        " + config.gatewayUrl() + "/api/v1");
        System.out.println("  OpenAPI UI         " + config.gatewayUrl() + "/q/swagger-ui");
        System.out.println("  Keycloak           " + config.keycloakUrl() + "  (admin / admin; realm covid-risk)");
        System.out.println("  demo users         clinician-09-04, steward-09-04, analyst-09-04, model-admin, ... "
                + "(password " + Tokens.DEMO_PASSWORD + ")");
        for (ManagedProcess p : suite.processes()) {
            System.out.println("  log " + String.format("%-16s", p.name()) + " " + p.log());
        }
        if (noWait) {
            return 0; // the shutdown hook stops the suite
        }
        System.out.println("Press Ctrl-C to stop everything.");
        stopped.await();
        return 0;
    }

    private DemoXrays.Trained xrays;

    private void walkthrough(SuiteConfig config) throws Exception {
        String gw = config.gatewayUrl();
        Path cohort = config.runDir().resolve("cohort");
        List<Path> files = new SyntheticCohort(seed).write(cohort, SyntheticCohort.DEMO_HOSPITALS, patients);
        say("generated " + files.size() + " synthetic hospital files (" + patients + " patients each, seed " + seed
                + ") in " + cohort);
        for (int i = 0; i < files.size(); i++) {
            SyntheticCohort.Hospital h = SyntheticCohort.DEMO_HOSPITALS.get(i);
            String steward = "steward-" + h.key().substring(3);
            String token = Tokens.password(config.keycloakUrl(), steward, Tokens.DEMO_PASSWORD);
            Http.Reply r = Http.postFile(gw + "/api/v1/uploads/dge?fileName=" + files.get(i).getFileName(), token,
                    files.get(i), "text/csv", Map.of("Batch-Id", "demo-" + h.key() + "-" + seed));
            check(r, "upload by " + steward);
            JsonNode report = r.json();
            say("  " + steward + " uploaded " + report.get("rowsStored").asLong() + " rows ("
                    + report.get("deaths").asLong() + " deaths) for " + h.key() + " " + h.name());
        }
        String admin = Tokens.password(config.keycloakUrl(), "model-admin", Tokens.DEMO_PASSWORD);
        Http.Reply trained = Http.postJson(gw + "/api/v1/models", admin,
                "{\"learner\":\"logistic\",\"stage\":4,\"seed\":42,\"promote\":true}");
        check(trained, "training");
        JsonNode m = trained.json();
        say(String.format("model-admin trained %s stage %d v%d on %d patients: hold-out AUROC %.3f, Brier %.3f",
                m.get("learner").asText(), m.get("stage").asInt(), m.get("version").asInt(), m.get("nTrain").asLong(),
                m.path("metrics").path("auroc").asDouble(Double.NaN),
                m.path("metrics").path("brier").asDouble(Double.NaN)));
        String clinician = Tokens.password(config.keycloakUrl(), "clinician-09-04", Tokens.DEMO_PASSWORD);
        String high = "{\"age\":78,\"sex\":\"male\",\"covidStatus\":\"confirmed\",\"pneumonia\":true,"
                + "\"hospitalised\":true,\"intubated\":true,\"icu\":true,\"diabetes\":true,\"hypertension\":true,"
                + "\"chronicKidneyDisease\":true,\"daysFromSymptomOnset\":6}";
        String low = "{\"age\":29,\"sex\":\"female\",\"covidStatus\":\"confirmed\",\"pneumonia\":false,"
                + "\"hospitalised\":false,\"intubated\":false,\"icu\":false,\"diabetes\":false,"
                + "\"hypertension\":false,\"daysFromSymptomOnset\":2}";
        for (String[] c : new String[][]{{"high-risk (78 y, intubated, ICU)", high},
                {"low-risk (29 y, outpatient)", low}}) {
            Http.Reply r = Http.postJson(gw + "/api/v1/scores?stage=4", clinician, c[1]);
            check(r, "scoring");
            JsonNode s = r.json();
            say(String.format("clinician-09-04 scored a %s patient: risk of death %.1f %% (model v%d, imputed %s)",
                    c[0], 100 * s.get("probability").asDouble(), s.get("modelVersion").asInt(), s.get("imputed")));
        }
        xrayWalkthrough(config, files.get(0), clinician);
    }

    /** A steward stores synthetic X-rays for a few patients; a clinician scores one of them. */
    private void xrayWalkthrough(SuiteConfig config, Path hospitalFile, String clinician) throws Exception {
        String gw = config.gatewayUrl();
        List<String> patients = firstIds(hospitalFile, xrayPatients);
        String steward = Tokens.password(config.keycloakUrl(), "steward-09-04", Tokens.DEMO_PASSWORD);
        // synthetic X-ray patient k belongs to the k-th patient of the hospital's file
        XrayImport.Summary s = XrayImport.run(gw, steward, xrays.images(), id -> {
            int k = Integer.parseInt(id);
            return k < patients.size() ? patients.get(k) : null;
        }, null, java.time.LocalDate.of(2020, 4, 1), DemoCommand::say);
        if (!s.refused().isEmpty()) {
            throw new IllegalStateException("X-ray upload refused: " + s.refused());
        }
        say("steward-09-04 stored " + s.stored() + " synthetic chest X-rays of " + patients.size()
                + " patients in the content-addressed image store");
        String patient = patients.get(0);
        Http.Reply image = Http.postJson(gw + "/api/v1/patients/" + patient + "/images/score", clinician, "");
        check(image, "X-ray scoring");
        JsonNode x = image.json();
        say(x.get("hasImage").asBoolean()
                ? String.format("clinician-09-04 scored patient %s's latest chest X-ray: CNN probability of death "
                        + "%.1f %% (%s)", patient, 100 * x.get("probability").asDouble(),
                        x.get("modelVersion").asText())
                : "clinician-09-04 asked for patient " + patient + "'s X-ray score: " + x.get("reason").asText());
        Http.Reply stored = Http.postJson(gw + "/api/v1/patients/" + patient + "/score?stage=4", clinician, "");
        check(stored, "scoring a stored patient");
        JsonNode r = stored.json();
        say(String.format("clinician-09-04 scored stored patient %s: risk of death %.1f %%; X-ray: %s", patient,
                100 * r.get("probability").asDouble(), r.path("imageNote").asText()));
    }

    /** The first {@code n} ID_REGISTRO values of a generated hospital file. */
    static List<String> firstIds(Path file, int n) throws java.io.IOException {
        try (var lines = Files.lines(file)) {
            return lines.skip(1).limit(n).map(l -> l.split(",", 3)[1].replace("\"", "")).toList();
        }
    }

    private static void check(Http.Reply r, String what) {
        if (r.status() != 200) {
            throw new IllegalStateException(what + " failed: HTTP " + r.status() + " " + r.body());
        }
    }

    static void say(String line) {
        System.out.println("[covid-risk] " + line);
    }

    static void deleteTree(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
