package org.covidrisk.ensemble.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class KnnLearnerTest {

    /**
     * 100 rows: x alternates −1 (survived) and +1 (died), so its mean is 0 and its sd 1; the indicator c is 1 on
     * row 0 only (a survivor), sd ≈ 0.0995. The query (x = +1, c = 1) is at distance 2 from row 0 either way, and
     * at distance 1 from every +1 row when c enters as 0/1 but ≈ 10 when c is standardised.
     */
    static TrainingData rareIndicator() {
        List<double[]> rows = new ArrayList<>();
        boolean[] y = new boolean[100];
        for (int i = 0; i < 100; i++) {
            double x = i % 2 == 0 ? -1 : 1;
            rows.add(new double[]{x, i == 0 ? 1 : 0});
            y[i] = x > 0;
        }
        return new TrainingData(List.of("x", "c"), rows, y);
    }

    @Test
    void standardisedIndicatorDominatesTheDistance() {
        FittedModel m = new KnnLearner(new KnnLearner.Options(1, 1)).fit(rareIndicator());
        assertEquals(0.0, m.predict(new double[]{1, 1}), 1e-9);
        assertEquals(1.0, m.predict(new double[]{1, 0}), 1e-9);
    }

    @Test
    void unscaledIndicatorEntersAsZeroOne() {
        KnnLearner learner = new KnnLearner(new KnnLearner.Options(1, 1, Set.of("c")));
        FittedModel m = learner.fit(rareIndicator());
        assertEquals(1.0, m.predict(new double[]{1, 1}), 1e-9);
        assertEquals(0.0, m.predict(new double[]{-1, 0}), 1e-9);
        assertEquals("mean-std except 1 indicator columns", learner.options().get("standardisation"));
    }

    @Test
    void unscaledModelSurvivesSerialisation() {
        FittedModel m = new KnnLearner(new KnnLearner.Options(1, 1, Set.of("c"))).fit(rareIndicator());
        FittedModel back = Learners.load(KnnLearner.NAME, m.serialize());
        assertEquals(m.predict(new double[]{1, 1}), back.predict(new double[]{1, 1}), 1e-12);
    }
}
