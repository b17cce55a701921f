package org.covidrisk.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.covidrisk.cli.synth.SyntheticCohort;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine;

/**
 * The stable `validate` interface on synthetic cohorts: train on one hospital's file, test on another's (an
 * external validation), one JSON object with the promised keys and values that a learned model must reach.
 */
class ValidateCommandTest {

    static final List<String> REQUIRED = List.of("auroc", "macro_f1", "brier", "calibration_slope",
            "calibration_intercept", "accuracy", "sensitivity", "specificity", "n_train", "n_test");

    @TempDir
    static Path dir;
    static Path train;
    static Path test;

    @BeforeAll
    static void cohorts() throws Exception {
        List<Path> files = new SyntheticCohort(2021).write(dir, SyntheticCohort.DEMO_HOSPITALS.subList(0, 2), 3000);
        train = files.get(0);
        test = files.get(1);
    }

    record Run(int exit, String out, String err) {
        @SuppressWarnings("unchecked")
        Map<String, Object> json() throws Exception {
            return new ObjectMapper().readValue(out, Map.class);
        }
    }

    static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int exit = new CommandLine(new ValidateCommand()).execute(args);
            return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void gamPrintsTheRequiredMetricsWithItsChosenPenalty() throws Exception {
        Run r = run("--train", train.toString(), "--test", test.toString(), "--model", "gam", "--json");
        assertEquals(0, r.exit(), r.err());
        Map<String, Object> m = r.json();
        for (String k : REQUIRED) {
            assertTrue(m.get(k) instanceof Number, k + " missing in " + m.keySet());
        }
        assertTrue(((Number) m.get("auroc")).doubleValue() > 0.8, "AUROC " + m.get("auroc"));
        Map<?, ?> gam = (Map<?, ?>) m.get("gam");
        assertTrue(((Number) gam.get("penalty")).doubleValue() > 0, gam.toString());
        assertTrue(((Number) gam.get("effective_degrees_of_freedom")).doubleValue() > 2, gam.toString());
        assertEquals(10, ((Number) ((Map<?, ?>) m.get("options")).get("segments")).intValue());
    }

    @Test
    void lassoPrintsTheRequiredMetrics() throws Exception {
        Run r = run("--train", train.toString(), "--test", test.toString(), "--model", "lasso", "--json");
        assertEquals(0, r.exit(), r.err());
        Map<String, Object> m = r.json();
        for (String k : REQUIRED) {
            assertTrue(m.get(k) instanceof Number, k + " missing in " + m.keySet());
        }
        // the synthetic mortality is driven by age, pneumonia, intubation, ICU and comorbidities
        assertTrue(((Number) m.get("auroc")).doubleValue() > 0.8, "AUROC " + m.get("auroc"));
        assertTrue(((Number) m.get("brier")).doubleValue() < 0.2);
        // a calibrated logistic model transported to a second hospital keeps a slope near 1
        double slope = ((Number) m.get("calibration_slope")).doubleValue();
        assertTrue(slope > 0.6 && slope < 1.5, "calibration slope " + slope);
        long trainRows = Files.lines(train).count() - 1;
        assertTrue(((Number) m.get("n_train")).longValue() < trainRows, "the default cohort is filtered");
        assertEquals(List.of(SyntheticCohort.DEMO_HOSPITALS.get(1).key()), List.copyOf(((Map<?, ?>) m.get(
                "per_hospital")).keySet()));
    }

    @Test
    void stageNetworkUsesTheBalancedProtocol() throws Exception {
        Run r = run("--train", train.toString(), "--test", test.toString(), "--model", "stage-nn", "--stage", "2",
                "--all-patients", "--json");
        assertEquals(0, r.exit(), r.err());
        Map<String, Object> m = r.json();
        Map<?, ?> protocol = (Map<?, ?>) m.get("protocol");
        int balanced = ((Number) protocol.get("balanced_rows")).intValue();
        int internal = ((Number) protocol.get("internal_test_rows")).intValue();
        int fitted = ((Number) m.get("n_train")).intValue();
        // all deaths plus as many survivors; 85 % of them train (15 % of those stop early), 15 % test inside
        assertEquals(balanced, fitted + internal);
        assertEquals(0.15, (double) internal / balanced, 0.01);
        assertEquals(0.5, ((Number) m.get("n_train_deaths")).doubleValue() / fitted, 0.01);
        // while the outside test file is scored as it is
        assertTrue(((Number) m.get("n_test_deaths")).doubleValue() / ((Number) m.get("n_test")).doubleValue() < 0.4);
        assertTrue(((Number) m.get("auroc")).doubleValue() > 0.75, "AUROC " + m.get("auroc"));
        assertEquals(2, ((Number) m.get("stage")).intValue());
        assertTrue(((List<?>) m.get("features")).contains("pneumonia"));
        assertTrue(!((List<?>) m.get("features")).contains("intubated"), "stage 2 knows nothing of intubation");
        Map<?, ?> tests = (Map<?, ?>) m.get("hypothesis_test");
        assertEquals(List.of("softmax", "hidden_1", "hidden_2"), List.copyOf(tests.keySet()));
        for (Object t : tests.values()) {
            Map<?, ?> test = (Map<?, ?>) t;
            // the bound is chosen so that at most 5 % of survivors are called deaths
            assertTrue(((Number) test.get("type_i_error")).doubleValue() <= 0.05, test.toString());
            double typeTwo = ((Number) test.get("type_ii_error")).doubleValue();
            assertTrue(typeTwo > 0 && typeTwo < 1, test.toString());
        }
        List<?> profile = (List<?>) m.get("reliability_profile");
        long counted = profile.stream().mapToLong(b -> ((Number) ((Map<?, ?>) b).get("count")).longValue()).sum();
        assertEquals(((Number) m.get("n_test")).longValue(), counted);
    }

    @Test
    void badArgumentsAreRefusedByName() {
        Run r = run("--train", train.toString(), "--test", test.toString(), "--model", "xgboost", "--json");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--model"), r.err());
        Run s = run("--train", train.toString(), "--test", dir.resolve("nope.csv").toString(), "--model", "lasso");
        assertEquals(2, s.exit());
        assertTrue(s.err().contains("nope.csv"), s.err());
    }

    @Test
    void aMalformedFileIsRefusedWithLineAndColumn() throws Exception {
        Path bad = dir.resolve("bad.csv");
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(train));
        lines.set(3, lines.get(3).replaceFirst(",\"?\\d+\"?,", ",\"77\","));
        Files.write(bad, lines);
        Run r = run("--train", bad.toString(), "--test", test.toString(), "--model", "lasso", "--json");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("line 4"), r.err());
    }
}
