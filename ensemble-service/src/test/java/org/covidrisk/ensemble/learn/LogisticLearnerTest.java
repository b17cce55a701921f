package org.covidrisk.ensemble.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.covidrisk.ensemble.evaluation.BinaryMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

class LogisticLearnerTest {

    /** Rows whose death risk rises with x0 and falls with x1; x2 is noise. */
    static TrainingData planted(int n, long seed) {
        Random r = new Random(seed);
        List<double[]> rows = new ArrayList<>();
        boolean[] y = new boolean[n];
        for (int i = 0; i < n; i++) {
            double[] x = {r.nextGaussian() * 10 + 50, r.nextInt(2), r.nextGaussian()};
            double logit = -6 + 0.1 * x[0] - 1.5 * x[1];
            y[i] = r.nextDouble() < 1 / (1 + Math.exp(-logit));
            rows.add(x);
        }
        return new TrainingData(List.of("age", "protective", "noise"), rows, y);
    }

    /** Fixed probe vectors for the frozen-model check. */
    static final double[][] PROBES = {{30, 1, 0}, {50, 0, 0}, {70, 0, 1}, {90, 1, -1}};

    @Test
    void learnsAPlantedRelationship() {
        LogisticLearner lr = new LogisticLearner(LogisticLearner.Options.defaults(), 7);
        LogisticLearner.Trained m = lr.train(planted(3000, 1));
        TrainingData test = planted(2000, 2);
        double auroc = BinaryMetrics.auroc(m.predict(test), test.died());
        assertTrue(auroc > 0.75, "AUROC " + auroc);
        assertTrue(m.predict(new double[]{80, 0, 0}) > m.predict(new double[]{30, 1, 0}));
    }

    @Test
    void constantColumnsAreLeftOutInsteadOfPoisoningTheModel() {
        TrainingData base = planted(2000, 4);
        List<double[]> rows = new ArrayList<>();
        for (double[] r : base.rows()) {
            rows.add(new double[]{r[0], r[1], r[2], 0.0});
        }
        TrainingData withConstant = new TrainingData(List.of("age", "protective", "noise", "never"), rows,
                base.died());
        LogisticLearner.Trained m = new LogisticLearner(LogisticLearner.Options.defaults(), 7).train(withConstant);
        assertEquals(List.of("age", "protective", "noise"), m.usedFeatures());
        double[] p = m.predict(withConstant);
        assertTrue(Arrays.stream(p).allMatch(x -> x >= 0 && x <= 1), "finite probabilities");
        assertTrue(BinaryMetrics.auroc(p, withConstant.died()) > 0.75);
    }

    @Test
    void serializedModelPredictsTheSame() {
        LogisticLearner.Trained m = new LogisticLearner(LogisticLearner.Options.defaults(), 7).train(planted(500, 3));
        LogisticLearner.Trained back = LogisticLearner.deserialize(m.serialize());
        assertEquals(m.featureNames(), back.featureNames());
        for (double[] p : PROBES) {
            assertEquals(m.predict(p), back.predict(p), 0.0);
        }
        assertThrows(IllegalArgumentException.class, () -> back.predict(new double[]{1, 2}));
        assertThrows(IllegalStateException.class, () -> LogisticLearner.deserialize(new byte[]{1, 2, 3}));
    }

    /**
     * Frozen model: an artifact written by an earlier build must still load and give the same probabilities. If
     * this fails after a library upgrade, stored models in the registry would no longer load: plan a migration.
     */
    @Test
    void frozenModelStillLoadsAndPredictsTheSame() throws Exception {
        byte[] artifact;
        String expected;
        try (InputStream a = getClass().getResourceAsStream("/frozen/logistic-v1.bin");
                InputStream e = getClass().getResourceAsStream("/frozen/logistic-v1.expected.txt")) {
            artifact = a.readAllBytes();
            expected = new String(e.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        LogisticLearner.Trained m = LogisticLearner.deserialize(artifact);
        double[] want = Arrays.stream(expected.split("\n")).mapToDouble(Double::parseDouble).toArray();
        double[] got = Arrays.stream(PROBES).mapToDouble(m::predict).toArray();
        assertArrayEquals(want, got, 1e-12);
    }

    /** Regenerates the frozen artifact: {@code -Dregenerate-frozen=true}, only on a deliberate format change. */
    @Test
    @EnabledIfSystemProperty(named = "regenerate-frozen", matches = "true")
    void regenerateFrozenModel() throws Exception {
        LogisticLearner.Trained m = new LogisticLearner(LogisticLearner.Options.defaults(), 7).train(planted(500, 3));
        Path dir = Path.of("src/test/resources/frozen");
        Files.createDirectories(dir);
        Files.write(dir.resolve("logistic-v1.bin"), m.serialize());
        StringBuilder sb = new StringBuilder();
        for (double[] p : PROBES) {
            sb.append(m.predict(p)).append('\n');
        }
        Files.writeString(dir.resolve("logistic-v1.expected.txt"), sb.toString());
    }
}
