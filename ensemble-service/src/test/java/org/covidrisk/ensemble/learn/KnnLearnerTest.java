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

    /** 40 deaths around x = 0 and 40 survivors around x = 100: a query at 0 has only deaths among its 25. */
    static TrainingData twoClusters() {
        List<double[]> rows = new ArrayList<>();
        boolean[] died = new boolean[80];
        for (int i = 0; i < 80; i++) {
            boolean d = i < 40;
            rows.add(new double[]{(d ? 0 : 100) + (i % 40) * 0.01, (i % 7) * 0.1});
            died[i] = d;
        }
        return new TrainingData(List.of("x", "z"), rows, died);
    }

    @Test
    void aNeighbourhoodOfDeathsIsProbabilityOneExactly() {
        // Tribuo's VotingCombiner adds 1/k per neighbour: 25 x 0.04 sums to 1.0000000000000002 in doubles
        FittedModel m = new KnnLearner(new KnnLearner.Options(25, 1)).fit(twoClusters());
        List<double[]> queries = List.of(new double[]{0.05, 0.3}, new double[]{100.05, 0.3});
        double[] p = m.predict(queries);
        assertEquals(1.0, p[0], 0.0);
        assertEquals(0.0, p[1], 0.0);
        assertEquals(1.0, m.predict(queries.get(0)), 0.0);
        // the artifact loads as the same clamped model
        FittedModel loaded = Learners.load(KnnLearner.NAME, m.serialize());
        assertEquals(1.0, loaded.predict(queries).clone()[0], 0.0);
        assertEquals(1.0, loaded.predict(queries.get(0)), 0.0);
    }

    @Test
    void clampKeepsProbabilitiesInTheUnitInterval() {
        assertEquals(1.0, KnnLearner.clamp(1.0000000000000002), 0.0);
        assertEquals(0.0, KnnLearner.clamp(-1e-17), 0.0);
        assertEquals(0.36, KnnLearner.clamp(0.36), 0.0);
    }
}
