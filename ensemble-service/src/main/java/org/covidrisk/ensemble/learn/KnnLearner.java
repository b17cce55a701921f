package org.covidrisk.ensemble.learn;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.covidrisk.platform.search.DotProductTopK;
import org.tribuo.Model;
import org.tribuo.classification.Label;

/**
 * k nearest neighbours on standardised features: the probability of death is the share of deaths among the k
 * nearest training patients (Euclidean distance, exact: a parallel flat scan over all training rows with
 * platform's {@link DotProductTopK}, ties to the earlier training row). Hand-written rather than Tribuo's
 * {@code KNNModel} because that one took ≈ 20 s to answer 2,800 queries against 25,000 patients on two cores
 * (the stacking benchmark's inner folds call it 100 times per outer fold); the scan takes about a second.
 * Models stored by earlier versions (Tribuo's kNN, format {@link TribuoFitted#FORMAT}) still load and predict as
 * they did, their vote shares clamped to [0, 1] (Tribuo's voting summed 25 x 0.04 to 1.0000000000000002).
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
            m.put("search", "exact (flat scan)");
            return m;
        }
    }

    /** Serialized format of models fitted by this version. */
    public static final String FORMAT = "knn-flat-v1";

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
    public Fitted fit(TrainingData data) {
        List<String> used = TribuoFitted.nonConstantColumns(data);
        Standardisation std = Standardisation.fit(data, used, options.unscaled());
        Fitted shape = new Fitted(data.featureNames(), used, std, Math.min(options.k(), data.size()),
                options.threads(), data.died(), null);
        float[] points = DotProductTopK.euclidean(shape.standardise(data.rows()), false);
        return shape.withPoints(points);
    }

    /** Loads an artifact written by a fitted kNN model: this version's format, or an earlier Tribuo kNN. */
    public static FittedModel deserialize(byte[] artifact) {
        if (artifact.length > 1 && (artifact[0] & 0xff) == 0xac && (artifact[1] & 0xff) == 0xed) {
            TribuoFitted.Parts p = TribuoFitted.read(artifact);
            return new TribuoKnn(p.model(), p.featureNames(), p.used());
        }
        return Fitted.read(artifact);
    }

    /** A probability that rounding pushed past an end of [0, 1], put back on it (NaN stays NaN). */
    static double clamp(double p) {
        return p > 1 ? 1.0 : p < 0 ? 0.0 : p;
    }

    /** A fitted kNN: the standardisation, the training points in the scan's form, and their outcomes. */
    public static final class Fitted extends BaseFitted {
        private final List<String> used;
        private final int[] usedIndex;
        private final Standardisation std;
        private final int k;
        private final int threads;
        private final boolean[] died;
        private final float[] points;
        private final DotProductTopK scan;

        Fitted(List<String> featureNames, List<String> used, Standardisation std, int k, int threads,
                boolean[] died, float[] points) {
            super(NAME, featureNames, FORMAT);
            this.used = List.copyOf(used);
            this.usedIndex = used.stream().mapToInt(featureNames()::indexOf).toArray();
            this.std = std;
            this.k = k;
            this.threads = threads;
            this.died = died;
            this.points = points;
            this.scan = points == null ? null : new DotProductTopK(points, usedIndex.length + 1, threads);
        }

        Fitted withPoints(float[] p) {
            return new Fitted(featureNames(), used, std, k, threads, died, p);
        }

        /** Features the model uses (constant training columns are dropped). */
        public List<String> usedFeatures() {
            return used;
        }

        double[][] standardise(List<double[]> rows) {
            double[][] out = new double[rows.size()][];
            for (int i = 0; i < out.length; i++) {
                checkWidth(rows.get(i));
                out[i] = std.apply(rows.get(i), usedIndex);
            }
            return out;
        }

        @Override
        public double[] predict(List<double[]> rows) {
            int[][] neighbours = scan.search(DotProductTopK.euclidean(standardise(rows), true), k);
            double[] p = new double[rows.size()];
            for (int i = 0; i < p.length; i++) {
                int deaths = 0;
                for (int j : neighbours[i]) {
                    deaths += died[j] ? 1 : 0;
                }
                p[i] = neighbours[i].length == 0 ? Double.NaN : deaths / (double) neighbours[i].length;
            }
            return p;
        }

        @Override
        public double predict(double[] values) {
            return predict(List.of(values))[0];
        }

        @Override
        public byte[] serialize() {
            return Artifacts.write(out -> {
                out.writeUTF(FORMAT);
                Artifacts.writeStrings(out, featureNames());
                Artifacts.writeStrings(out, used);
                out.writeInt(k);
                out.writeInt(threads);
                std.write(out);
                out.writeInt(died.length);
                for (boolean d : died) {
                    out.writeBoolean(d);
                }
                for (float v : points) {
                    out.writeFloat(v);
                }
            });
        }

        static Fitted read(byte[] artifact) {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(artifact))) {
                Artifacts.expectFormat(in, FORMAT, "stored kNN model");
                List<String> names = Artifacts.readStrings(in);
                List<String> used = Artifacts.readStrings(in);
                int k = in.readInt();
                int threads = in.readInt();
                Standardisation std = Standardisation.read(in, used.size());
                boolean[] died = new boolean[in.readInt()];
                for (int i = 0; i < died.length; i++) {
                    died[i] = in.readBoolean();
                }
                float[] points = new float[died.length * (used.size() + 1)];
                for (int i = 0; i < points.length; i++) {
                    points[i] = in.readFloat();
                }
                return new Fitted(names, used, std, k, threads, died, points);
            } catch (IOException e) {
                throw new IllegalStateException("stored kNN model cannot be read: " + e.getMessage(), e);
            }
        }
    }

    /** A kNN model stored by an earlier version (Tribuo), with its vote shares clamped to [0, 1]. */
    static final class TribuoKnn extends TribuoFitted {

        TribuoKnn(Model<Label> model, List<String> featureNames, List<String> used) {
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
