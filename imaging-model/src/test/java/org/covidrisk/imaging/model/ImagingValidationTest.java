package org.covidrisk.imaging.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagingValidationTest {

    /** Records what each fit was given, then fits with {@code inner}. */
    static final class Recording implements SecondLayerFitter {
        final SecondLayerFitter inner;
        final List<List<String>> names = new ArrayList<>();
        final List<List<double[]>> rows = new ArrayList<>();
        final List<boolean[]> died = new ArrayList<>();

        Recording(SecondLayerFitter inner) {
            this.inner = inner;
        }

        @Override
        public ToDoubleFunction<double[]> fit(List<String> names, List<double[]> rows, boolean[] died) {
            this.names.add(names);
            this.rows.add(rows);
            this.died.add(died.clone());
            return inner.fit(names, rows, died);
        }
    }

    /** A tiny network and two epochs: the pipeline is exercised, not the accuracy. */
    static ImagingValidation.Settings tiny(long seed) {
        return new ImagingValidation.Settings(new NetOptions(32, 4, new int[]{1, 1, 1, 1}, 2),
                new TrainOptions(1, 8, 1e-3f, 0, true, seed), new TrainOptions(1, 8, 1e-3f, 0, true, seed), 2,
                seed, 1, false);
    }

    @Test
    void foldsAreByPatientStratifiedAndSeeded() {
        Map<String, Boolean> labelled = new LinkedHashMap<>();
        for (int i = 0; i < 30; i++) {
            labelled.put("p" + i, i < 9);
        }
        Map<String, Integer> f = ImagingValidation.folds(labelled, 3, 42);
        assertEquals(30, f.size());
        for (int k = 0; k < 3; k++) {
            final int fold = k;
            assertEquals(3, f.entrySet().stream().filter(e -> e.getValue() == fold && labelled.get(e.getKey()))
                    .count(), "three deaths per fold");
        }
        assertEquals(f, ImagingValidation.folds(labelled, 3, 42));
        assertNotEquals(f, ImagingValidation.folds(labelled, 3, 43));
    }

    @Test
    void trainTestReportsPatientCountsAndAurocs(@TempDir Path dir) throws Exception {
        SyntheticXrays.write(dir.resolve("train"), 30, 64, 1);
        SyntheticXrays.write(dir.resolve("test"), 16, 64, 2);
        XraySet train = XraySet.load(dir.resolve("train"), 32);
        XraySet test = XraySet.load(dir.resolve("test"), 32);
        Recording fitter = new Recording(new PlainLogistic(1));
        var r = ImagingValidation.trainTest(train, test, tiny(7), fitter);
        try (XrayModel m = r.model()) {
            Map<String, Object> j = r.report();
            assertEquals(train.labelledPatients().size(), j.get("n_train_patients"));
            // the second layer and the age + sex baseline, each fitted once on every labelled train patient
            assertEquals(List.of(List.of("cnn", "age", "male"), List.of("age", "male")), fitter.names);
            int n = train.labelledPatients().size();
            assertEquals(n, fitter.rows.get(0).size());
            assertEquals(n, fitter.rows.get(1).size());
            // its CNN column is the train patients' out-of-fold CNN score: same AUROC as the report's
            double[] cnn = fitter.rows.get(0).stream().mapToDouble(x -> x[0]).toArray();
            assertEquals((Double) j.get("auroc_cnn_train_oof"), Math.round(Auroc.of(cnn, fitter.died.get(0))
                    * 10000) / 10000.0, 1e-12);
            for (int i = 0; i < n; i++) {
                double[] a = fitter.rows.get(0).get(i);
                double[] b = fitter.rows.get(1).get(i);
                assertTrue(a[0] >= 0 && a[0] <= 1, "a probability, not a logit");
                assertEquals(a[1], b[0]);
                assertEquals(a[2], b[1]);
            }
            assertEquals(train.labelledPatients().values().stream().filter(d -> d).count(), countTrue(fitter.died
                    .get(0)));
            assertEquals(test.labelledPatients().size(), j.get("n_test_patients"));
            for (String k : new String[]{"auroc_cnn", "auroc_second_layer", "auroc_age_sex"}) {
                double a = (Double) j.get(k);
                assertTrue(a >= 0 && a <= 1, k + " = " + a);
            }
            assertEquals("survival", m.provenance().task());
            assertEquals(train.dataSha256(), m.provenance().dataSha256());
            assertEquals(1, m.provenance().pretraining().epochs());
        }
    }

    private static long countTrue(boolean[] b) {
        long n = 0;
        for (boolean x : b) {
            n += x ? 1 : 0;
        }
        return n;
    }

    @Test
    void secondLayerIsCrossValidatedOnTheOtherFoldsWithMissingValuesPassedAsNaN() {
        Map<String, Boolean> labelled = new LinkedHashMap<>();
        Map<String, double[]> data = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            String p = "p" + i;
            labelled.put(p, i % 4 == 0);
            data.put(p, new double[]{i / 40.0, i % 5 == 0 ? Double.NaN : 30 + i, i % 2});
        }
        Map<String, Integer> fold = ImagingValidation.folds(labelled, 4, 3);
        // a "fitter" that scores a row by its first input: the stacked scores are the inputs themselves
        Recording identity = new Recording((names, rows, died) -> x -> x[0]);
        Map<String, Double> out = ImagingValidation.stackedCv(labelled, fold, 4, data::get,
                ImagingValidation.SECOND_LAYER, identity);
        assertEquals(4, identity.rows.size());
        for (int f = 0; f < 4; f++) {
            final int k = f;
            assertEquals(fold.values().stream().filter(v -> v != k).count(), identity.rows.get(f).size());
            assertEquals(ImagingValidation.SECOND_LAYER, identity.names.get(f));
        }
        assertEquals(labelled.keySet(), out.keySet());
        labelled.keySet().forEach(p -> assertEquals(data.get(p)[0], out.get(p)));
        long nan = identity.rows.stream().flatMap(List::stream).filter(x -> Double.isNaN(x[1])).count();
        assertEquals(8 * 3, nan, "8 missing ages, each in the training rows of 3 of the 4 folds");

        // the plain logistic fit on a clean signal ranks every fold's patients as their input does
        Map<String, Boolean> byX = new LinkedHashMap<>();
        labelled.keySet().forEach(p -> byX.put(p, data.get(p)[0] >= 0.5));
        Map<String, Integer> foldX = ImagingValidation.folds(byX, 4, 3);
        Map<String, Double> fitted = ImagingValidation.stackedCv(byX, foldX, 4, p -> new double[]{data.get(p)[0]},
                List.of("cnn"), new PlainLogistic(1));
        for (String p : byX.keySet()) {
            for (String q : byX.keySet()) {
                if (foldX.get(p).equals(foldX.get(q)) && data.get(p)[0] < data.get(q)[0]) {
                    assertTrue(fitted.get(p) < fitted.get(q), p + " below " + q);
                }
            }
        }
        assertTrue(ImagingValidation.auroc(fitted, byX) > 0.95, "AUROC " + ImagingValidation.auroc(fitted, byX));
    }

    @Test
    void syntheticSetIsSeededAndLabelledLikeTheSharedOne(@TempDir Path dir) throws Exception {
        SyntheticXrays.write(dir.resolve("a"), 30, 64, 9);
        SyntheticXrays.write(dir.resolve("b"), 30, 64, 9);
        XraySet a = XraySet.load(dir.resolve("a"), 32);
        assertEquals(a.dataSha256(), XraySet.load(dir.resolve("b"), 32).dataSha256());
        assertTrue(a.labelledPatients().size() > 3 && a.labelledPatients().size() < 30);
        assertTrue(a.images().stream().allMatch(i -> i.finding() != null));
    }
}
