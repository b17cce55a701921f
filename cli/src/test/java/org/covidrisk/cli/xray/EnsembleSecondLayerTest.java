package org.covidrisk.cli.xray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleFunction;

import org.covidrisk.ensemble.evaluation.BinaryMetrics;
import org.covidrisk.ensemble.learn.FittedModel;
import org.covidrisk.ensemble.learn.TrainingData;
import org.covidrisk.ensemble.learn.XraySecondLayer;
import org.junit.jupiter.api.Test;

class EnsembleSecondLayerTest {

    private static final List<String> SECOND = List.of("cnn", "age", "male");
    private static final List<String> AGE_SEX = List.of("age", "male");

    /** imaging-model's rows: CNN probability, age, male (1/0); NaN where {@code missing} says. */
    private static List<double[]> rows(int n, long seed, boolean missing, boolean[] died) {
        Random r = new Random(seed);
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double cnnLogit = r.nextGaussian();
            double age = 20 + 70 * r.nextDouble();
            boolean male = r.nextBoolean();
            died[i] = r.nextDouble() < 1 / (1 + Math.exp(-(-4 + 1.5 * cnnLogit + 0.05 * age)));
            out.add(new double[]{1 / (1 + Math.exp(-cnnLogit)), missing && i % 6 == 0 ? Double.NaN : age,
                    missing && i % 9 == 1 ? Double.NaN : male ? 1 : 0});
        }
        return out;
    }

    private static double[] apply(ToDoubleFunction<double[]> m, List<double[]> rows) {
        return rows.stream().mapToDouble(m::applyAsDouble).toArray();
    }

    private static TrainingData served(List<double[]> rows, boolean[] died) {
        List<double[]> x = new ArrayList<>();
        rows.forEach(r -> x.add(XraySecondLayer.row(r[0], r[1], r[2] == 1, false, Double.NaN)));
        return new TrainingData(XraySecondLayer.features(false), x, died);
    }

    @Test
    void givesXraySecondLayersFiguresOnCompleteRows() {
        boolean[] trDied = new boolean[300];
        boolean[] hoDied = new boolean[150];
        List<double[]> tr = rows(300, 1, false, trDied);
        List<double[]> ho = rows(150, 2, false, hoDied);
        var fitter = new EnsembleSecondLayer(7);
        double[] second = apply(fitter.fit(SECOND, tr, trDied), ho);
        double[] ageSex = apply(fitter.fit(AGE_SEX, tr.stream().map(r -> new double[]{r[1], r[2]}).toList(), trDied),
                ho.stream().map(r -> new double[]{r[1], r[2]}).toList());
        TrainingData train = served(tr, trDied);
        TrainingData holdout = served(ho, hoDied);
        // the same probabilities as the served model fitted on XraySecondLayer's own rows ...
        assertArrayEquals(XraySecondLayer.learner(7).fit(train).predict(holdout.rows()), second, 0);
        // ... and the same AUROCs as XraySecondLayer.measure, the figures of ensemble's X-ray training
        Map<String, Double> c = XraySecondLayer.measure(train, holdout, 7).comparison();
        assertEquals(c.get("auroc_second_layer"), BinaryMetrics.auroc(second, hoDied), 0);
        assertEquals(c.get("auroc_age_sex_alone"), BinaryMetrics.auroc(ageSex, hoDied), 0);
    }

    @Test
    void fillsMissingAgeAndSexWithTheTrainingMedian() {
        boolean[] died = new boolean[120];
        List<double[]> tr = rows(120, 3, true, died);
        double[] median = EnsembleSecondLayer.medians(tr, 3);
        List<double[]> filled = tr.stream().map(r -> new double[]{r[0], Double.isNaN(r[1]) ? median[1] : r[1],
                Double.isNaN(r[2]) ? median[2] : r[2]}).toList();
        ToDoubleFunction<double[]> m = new EnsembleSecondLayer(7).fit(SECOND, tr, died);
        FittedModel expected = XraySecondLayer.learner(7).fit(served(filled, died));
        assertArrayEquals(expected.predict(served(filled, died).rows()), apply(m, tr), 0);
        assertEquals(m.applyAsDouble(new double[]{0.3, median[1], median[2]}),
                m.applyAsDouble(new double[]{0.3, Double.NaN, Double.NaN}), 0);
        assertTrue(median[2] == 0 || median[2] == 1, "the median of sex is a sex: " + median[2]);
    }

    @Test
    void refusesOtherInputs() {
        boolean[] died = new boolean[20];
        List<double[]> tr = rows(20, 4, false, died);
        assertThrows(IllegalArgumentException.class, () -> new EnsembleSecondLayer(1).fit(List.of("cnn", "age",
                "sex"), tr, died));
    }
}
