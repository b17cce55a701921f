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
        assertEquals(KnnLearner.FORMAT, loaded.format());
    }

    /** The share of deaths among the k nearest, against a brute-force reference in doubles, on random data. */
    @Test
    void agreesWithABruteForceReference() {
        java.util.Random r = new java.util.Random(3);
        List<double[]> rows = new ArrayList<>();
        boolean[] died = new boolean[400];
        for (int i = 0; i < 400; i++) {
            rows.add(new double[]{r.nextGaussian() * 3 + 10, r.nextGaussian(), r.nextInt(2)});
            died[i] = r.nextDouble() < 0.3 + 0.1 * rows.get(i)[1];
        }
        TrainingData data = new TrainingData(List.of("a", "b", "c"), rows, died);
        FittedModel m = new KnnLearner(new KnnLearner.Options(7, 2)).fit(data);
        double[] mean = new double[3];
        double[] sd = new double[3];
        for (int j = 0; j < 3; j++) {
            final int c = j;
            mean[j] = rows.stream().mapToDouble(x -> x[c]).average().orElseThrow();
            sd[j] = Math.sqrt(rows.stream().mapToDouble(x -> (x[c] - mean[c]) * (x[c] - mean[c])).sum() / 400);
        }
        for (int q = 0; q < 50; q++) {
            double[] query = {r.nextGaussian() * 3 + 10, r.nextGaussian(), r.nextInt(2)};
            Integer[] order = new Integer[400];
            double[] dist = new double[400];
            for (int i = 0; i < 400; i++) {
                order[i] = i;
                for (int j = 0; j < 3; j++) {
                    double d = (query[j] - rows.get(i)[j]) / sd[j];
                    dist[i] += d * d;
                }
            }
            java.util.Arrays.sort(order, (x, y) -> Double.compare(dist[x], dist[y]));
            int deaths = 0;
            for (int i = 0; i < 7; i++) {
                deaths += died[order[i]] ? 1 : 0;
            }
            assertEquals(deaths / 7.0, m.predict(query), 1e-12);
        }
    }

    /** A kNN stored by an earlier version (Tribuo's KNNModel artifact) still loads and answers as before. */
    @Test
    void aTribuoKnnStoredEarlierStillLoads() {
        TrainingData data = twoClusters();
        List<String> used = TribuoFitted.nonConstantColumns(data);
        var knn = new org.tribuo.common.nearest.KNNTrainer<>(25, new org.tribuo.math.distance.L2Distance(), 1,
                new org.tribuo.classification.ensemble.VotingCombiner(),
                org.tribuo.common.nearest.KNNModel.Backend.THREADPOOL,
                org.tribuo.math.neighbour.NeighboursQueryFactoryType.BRUTE_FORCE);
        byte[] legacy = new TribuoFitted(KnnLearner.NAME, TribuoFitted.train(knn, data, used), data.featureNames(),
                used).serialize();
        FittedModel loaded = Learners.load(KnnLearner.NAME, legacy);
        assertEquals(TribuoFitted.FORMAT, loaded.format());
        // Tribuo's voting sums 25 x 0.04 to 1.0000000000000002; the loader clamps it to 1 exactly
        assertEquals(1.0, loaded.predict(new double[]{0.05, 0.3}), 0.0);
        assertEquals(0.0, loaded.predict(new double[]{100.05, 0.3}), 0.0);
    }

    @Test
    void clampKeepsProbabilitiesInTheUnitInterval() {
        assertEquals(1.0, KnnLearner.clamp(1.0000000000000002), 0.0);
        assertEquals(0.0, KnnLearner.clamp(-1e-17), 0.0);
        assertEquals(0.36, KnnLearner.clamp(0.36), 0.0);
    }
}
