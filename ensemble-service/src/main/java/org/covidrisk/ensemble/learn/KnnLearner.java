package org.covidrisk.ensemble.learn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.ensemble.VotingCombiner;
import org.tribuo.common.nearest.KNNModel;
import org.tribuo.common.nearest.KNNTrainer;
import org.tribuo.math.distance.L2Distance;
import org.tribuo.math.neighbour.NeighboursQueryFactoryType;

/**
 * k nearest neighbours (Tribuo) on standardised features: the probability of death is the share of deaths among
 * the k nearest training patients (Euclidean distance, brute force over all training rows in parallel).
 * Tribuo's {@link VotingCombiner} adds up k vote shares of 1/k, which in doubles can sum to 1.0000000000000002
 * (25 x 0.04): the fitted model clamps its scores to [0, 1], after fitting and after loading alike.
 */
public final class KnnLearner implements Learner {

    /** Learner name in the registry. */
    public static final String NAME = "knn";

    /**
     * Options with defaults (k = 25 as the stacking peer; the PLOS comparison uses 15).
     *
     * @param unscaled columns that enter the distance as they are instead of standardised (the one-hot indicators
     *        of a categorical input: standardising a rare indicator blows it up to 1/sd and lets it dominate the
     *        distance, where scikit-learn's one-hot encoding leaves it at 0/1); empty: every column standardised
     */
    public record Options(int k, int threads, java.util.Set<String> unscaled) {
        public Options {
            unscaled = java.util.Set.copyOf(unscaled);
        }

        public Options(int k, int threads) {
            this(k, threads, java.util.Set.of());
        }

        public static Options defaults() {
            return new Options(25, Runtime.getRuntime().availableProcessors());
        }

        public Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("k", k);
            m.put("distance", "euclidean");
            m.put("standardisation", unscaled.isEmpty()
                    ? "mean-std"
                    : "mean-std except " + unscaled.size()
                            + " indicator columns");
            m.put("search", "brute-force");
            return m;
        }
    }

    private final Options options;

    public KnnLearner(Options options) {
        this.options = options;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> options() {
        return options.asMap();
    }

    @Override
    public TribuoFitted fit(TrainingData data) {
        List<String> used = TribuoFitted.nonConstantColumns(data);
        var knn = new KNNTrainer<>(Math.min(options.k(), data.size()), new L2Distance(), options.threads(),
                new VotingCombiner(), KNNModel.Backend.THREADPOOL, NeighboursQueryFactoryType.BRUTE_FORCE);
        return new Fitted(TribuoFitted.train(knn, data, used, options.unscaled()), data.featureNames(), used);
    }

    /** Loads an artifact written by a fitted kNN model (Tribuo's serialization, read as any Tribuo model). */
    public static TribuoFitted deserialize(byte[] artifact) {
        TribuoFitted.Parts p = TribuoFitted.read(artifact);
        return new Fitted(p.model(), p.featureNames(), p.used());
    }

    /** A probability that rounding pushed past an end of [0, 1], put back on it (NaN stays NaN). */
    static double clamp(double p) {
        return p > 1 ? 1.0 : p < 0 ? 0.0 : p;
    }

    /** The Tribuo kNN model with its vote shares clamped to [0, 1]. */
    static final class Fitted extends TribuoFitted {

        Fitted(Model<Label> model, List<String> featureNames, List<String> used) {
            super(NAME, model, featureNames, used);
        }

        @Override
        public double[] predict(List<double[]> rows) {
            double[] p = super.predict(rows);
            for (int i = 0; i < p.length; i++) {
                p[i] = clamp(p[i]);
            }
            return p;
        }

        @Override
        public double predict(double[] row) {
            return clamp(super.predict(row));
        }
    }
}
