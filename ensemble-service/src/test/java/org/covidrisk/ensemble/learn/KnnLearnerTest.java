package org.covidrisk.ensemble.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** kNN probabilities are vote shares; summed as k shares of 1/k they must still be probabilities. */
class KnnLearnerTest {

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
