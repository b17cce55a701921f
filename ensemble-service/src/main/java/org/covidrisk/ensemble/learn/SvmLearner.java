package org.covidrisk.ensemble.learn;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tribuo.classification.Label;
import org.tribuo.classification.libsvm.LibSVMClassificationTrainer;
import org.tribuo.classification.libsvm.SVMClassificationType;
import org.tribuo.common.libsvm.KernelType;
import org.tribuo.common.libsvm.SVMParameters;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;

/**
 * Support vector machine on standardised features: an RBF-kernel SVM with LibSVM's probability estimates for
 * small cohorts, and for large ones (where the kernel SVM's quadratic cost is prohibitive) a linear SVM
 * (LibLinear) whose decision values are mapped to probabilities by Platt scaling fitted on 3-fold
 * cross-validated decision values, like scikit-learn's CalibratedClassifierCV in the peer.
 */
public final class SvmLearner implements Learner {

    /** Learner name in the registry. */
    public static final String NAME = "svm";
    /**
     * Serialized format: Platt parameters (NaN for the kernel SVM), then the kernel SVM's Tribuo artifact or the
     * linear SVM's own ({@link LinearSvm#FORMAT}); linear SVMs stored by earlier versions as Tribuo artifacts still
     * load.
     */
    public static final String FORMAT = "svm-platt-v1";

    /**
     * Options with defaults.
     *
     * @param kernelMaxRows largest training set for the RBF kernel SVM
     */
    public record Options(int kernelMaxRows, double cost, long seed) {
        public static Options defaults(long seed) {
            return new Options(5000, 1.0, seed);
        }

        public Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kernelMaxRows", kernelMaxRows);
            m.put("cost", cost);
            m.put("small", "RBF kernel (LibSVM), gamma 1/features, probability estimates");
            m.put("large", "linear (LibLinear L2-loss, primal trust-region Newton) + Platt scaling on 3-fold CV");
            return m;
        }
    }

    private static final Object LIBSVM_RANDOM = new Object();

    private final Options options;

    public SvmLearner(Options options) {
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
    public Trained fit(TrainingData data) {
        List<String> used = TribuoFitted.nonConstantColumns(data);
        if (data.size() <= options.kernelMaxRows()) {
            SVMParameters<Label> p = new SVMParameters<>(new SVMClassificationType(
                    SVMClassificationType.SVMMode.C_SVC), KernelType.RBF);
            p.setProbability();
            p.setCost(options.cost());
            p.setGamma(1.0 / used.size());
            var trainer = new LibSVMClassificationTrainer(p, options.seed());
            // Tribuo seeds LibSVM's process-global generator (svm.rand) per training: one at a time, so that
            // concurrent fits (a stack's folds) stay reproducible
            synchronized (LIBSVM_RANDOM) {
                return new Trained(new TribuoFitted(NAME, TribuoFitted.train(trainer, data, used),
                        data.featureNames(), used), null);
            }
        }
        LinearSvm linear = LinearSvm.fit(data, used, options.cost());
        int[] fold = Folds.stratified(data.died(), 3, options.seed());
        double[] f = new double[data.size()];
        for (int k = 0; k < 3; k++) {
            int[][] split = Folds.split(fold, k);
            TrainingData train = data.subset(split[0]);
            LinearSvm m = LinearSvm.fit(train, TribuoFitted.nonConstantColumns(train), options.cost());
            double[] scores = m.predict(data.subset(split[1]).rows());
            for (int i = 0; i < scores.length; i++) {
                f[split[1][i]] = scores[i];
            }
        }
        return new Trained(linear, Platt.fit(f, data.died()));
    }

    /** Loads an artifact written by {@link Trained#serialize()}. */
    public static Trained deserialize(byte[] artifact) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(artifact))) {
            double a = in.readDouble();
            double b = in.readDouble();
            byte[] rest = in.readAllBytes();
            // Tribuo's models (the kernel SVM; linear SVMs stored by earlier versions) are Java serialization
            boolean tribuo = rest.length > 1 && (rest[0] & 0xff) == 0xac && (rest[1] & 0xff) == 0xed;
            return new Trained(tribuo ? TribuoFitted.deserialize(NAME, rest) : LinearSvm.read(rest), Double.isNaN(a)
                    ? null
                    : new Platt(a, b));
        } catch (IOException e) {
            throw new IllegalStateException("stored SVM cannot be read: " + e.getMessage(), e);
        }
    }

    /** A trained SVM: LibSVM probabilities, or linear decision values through Platt scaling. */
    public static final class Trained implements FittedModel {
        private final FittedModel svm;
        private final Platt platt;

        Trained(FittedModel svm, Platt platt) {
            this.svm = svm;
            this.platt = platt;
        }

        @Override
        public String learner() {
            return NAME;
        }

        @Override
        public List<String> featureNames() {
            return svm.featureNames();
        }

        @Override
        public double[] predict(List<double[]> rows) {
            double[] s = svm.predict(rows);
            if (platt != null) {
                for (int i = 0; i < s.length; i++) {
                    s[i] = platt.probability(s[i]);
                }
            }
            return s;
        }

        @Override
        public byte[] serialize() {
            return Artifacts.write(out -> {
                out.writeDouble(platt == null ? Double.NaN : platt.a());
                out.writeDouble(platt == null ? Double.NaN : platt.b());
                out.write(svm.serialize());
            });
        }

        @Override
        public String format() {
            return "svm-platt-v1+" + svm.format();
        }
    }

    /**
     * A linear SVM (LibLinear's L2-regularised L2-loss solver, primal, with an intercept) on standardised
     * features, answering decision values. LibLinear is called directly rather than through Tribuo: Tribuo's
     * per-example objects and transform pass cost three to four times the solver itself on 25,000 rows (measured:
     * 0.44 s against 0.11 s for the same LASSO fit), and the SVM is fitted four times per training (Platt's 3
     * folds and the final model).
     */
    static final class LinearSvm extends BaseFitted {
        static final String FORMAT = "liblinear-l2loss-primal-v1";

        private final List<String> used;
        private final int[] usedIndex;
        private final Standardisation std;
        private final double[] weights;
        private final double intercept;

        LinearSvm(List<String> featureNames, List<String> used, Standardisation std, double[] weights,
                double intercept) {
            super(NAME, featureNames, FORMAT);
            this.used = List.copyOf(used);
            this.usedIndex = used.stream().mapToInt(featureNames()::indexOf).toArray();
            this.std = std;
            this.weights = weights;
            this.intercept = intercept;
        }

        static LinearSvm fit(TrainingData data, List<String> used, double cost) {
            int[] idx = used.stream().mapToInt(data.featureNames()::indexOf).toArray();
            int n = data.size();
            Standardisation std = Standardisation.fit(data, used, Set.of());
            Problem p = new Problem();
            p.l = n;
            p.n = idx.length + 1;
            p.bias = 1;
            p.x = new Feature[n][];
            p.y = new double[n];
            for (int i = 0; i < n; i++) {
                double[] z = std.apply(data.rows().get(i), idx);
                Feature[] x = new Feature[idx.length + 1];
                for (int j = 0; j < idx.length; j++) {
                    x[j] = new FeatureNode(j + 1, z[j]);
                }
                x[idx.length] = new FeatureNode(idx.length + 1, 1.0);
                p.x[i] = x;
                p.y[i] = data.died()[i] ? 1 : 0;
            }
            Linear.disableDebugOutput();
            Model m = Linear.train(p, new Parameter(SolverType.L2R_L2LOSS_SVC, cost, 0.01));
            double[] w = m.getFeatureWeights();
            // LibLinear's decision value favours its first label: turn it into a score for "died"
            double sign = m.getLabels()[0] == 1 ? 1 : -1;
            double[] weights = new double[idx.length];
            for (int j = 0; j < weights.length; j++) {
                weights[j] = sign * w[j];
            }
            return new LinearSvm(data.featureNames(), used, std, weights, sign * w[idx.length]);
        }

        @Override
        public double[] predict(List<double[]> rows) {
            double[] out = new double[rows.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = predict(rows.get(i));
            }
            return out;
        }

        @Override
        public double predict(double[] row) {
            checkWidth(row);
            double[] z = std.apply(row, usedIndex);
            double s = intercept;
            for (int j = 0; j < z.length; j++) {
                s += weights[j] * z[j];
            }
            return s;
        }

        @Override
        public byte[] serialize() {
            return Artifacts.write(out -> {
                out.writeUTF(FORMAT);
                Artifacts.writeStrings(out, featureNames());
                Artifacts.writeStrings(out, used);
                std.write(out);
                for (double w : weights) {
                    out.writeDouble(w);
                }
                out.writeDouble(intercept);
            });
        }

        static LinearSvm read(byte[] artifact) throws IOException {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(artifact))) {
                Artifacts.expectFormat(in, FORMAT, "linear SVM");
                List<String> names = Artifacts.readStrings(in);
                List<String> used = Artifacts.readStrings(in);
                Standardisation std = Standardisation.read(in, used.size());
                double[] weights = new double[used.size()];
                for (int j = 0; j < weights.length; j++) {
                    weights[j] = in.readDouble();
                }
                return new LinearSvm(names, used, std, weights, in.readDouble());
            }
        }
    }
}
