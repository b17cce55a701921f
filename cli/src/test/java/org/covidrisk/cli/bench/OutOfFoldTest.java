package org.covidrisk.cli.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.covidrisk.ensemble.learn.Folds;
import org.junit.jupiter.api.Test;

class OutOfFoldTest {

    @Test
    void poolsEachFoldsPredictionsAtTheirRows() {
        int[] fold = {1, 0, 2, 0, 1, 2};
        OutOfFold oof = new OutOfFold(fold.length);
        for (int k = 0; k < 3; k++) {
            int[] test = Folds.split(fold, k)[1];
            double[] q = new double[test.length];
            for (int i = 0; i < q.length; i++) {
                q[i] = 0.1 * k + 0.01 * test[i]; // fold and row visible in the value
            }
            oof.put("stacking", test, q);
        }
        assertArrayEquals(new double[]{0.10, 0.01, 0.22, 0.03, 0.14, 0.25}, oof.pooled("stacking"), 1e-12);
        List<String> models = new ArrayList<>();
        oof.models().forEach(models::add);
        assertEquals(List.of("stacking"), models);
    }

    @Test
    void refusesMissingDoubledAndNonProbabilityPredictions() {
        OutOfFold oof = new OutOfFold(3);
        oof.put("knn", new int[]{0, 2}, new double[]{0.5, 1.0});
        assertEquals("knn: row 1 has no out-of-fold prediction",
                assertThrows(IllegalStateException.class, () -> oof.pooled("knn")).getMessage());
        assertEquals("knn: row 2 predicted by two folds",
                assertThrows(IllegalStateException.class, () -> oof.put("knn", new int[]{2}, new double[]{0.1}))
                        .getMessage());
        assertEquals("knn: row 1 has probability 1.0000000000000002",
                assertThrows(IllegalStateException.class,
                        () -> oof.put("knn", new int[]{1}, new double[]{1.0000000000000002})).getMessage());
        assertThrows(IllegalArgumentException.class, () -> oof.put("knn", new int[]{1}, new double[]{0.1, 0.2}));
        assertThrows(IllegalStateException.class, () -> oof.pooled("svm"));
    }
}
