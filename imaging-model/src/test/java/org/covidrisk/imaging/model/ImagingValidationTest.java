package org.covidrisk.imaging.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagingValidationTest {

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
        var r = ImagingValidation.trainTest(train, test, tiny(7));
        try (XrayModel m = r.model()) {
            Map<String, Object> j = r.report();
            assertEquals(train.labelledPatients().size(), j.get("n_train_patients"));
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
