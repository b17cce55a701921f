package org.covidrisk.ensemble.learn;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tribuo.classification.Label;
import org.tribuo.classification.liblinear.LibLinearClassificationTrainer;
import org.tribuo.classification.liblinear.LinearClassificationType;
import org.tribuo.classification.libsvm.LibSVMClassificationTrainer;
import org.tribuo.classification.libsvm.SVMClassificationType;
import org.tribuo.common.libsvm.KernelType;
import org.tribuo.common.libsvm.SVMParameters;

/**
 * Support vector machine on standardised features: an RBF-kernel SVM with LibSVM's probability estimates for
 * small cohorts, and for large ones (where the kernel SVM's quadratic cost is prohibitive) a linear SVM
 * (LibLinear) whose decision values are mapped to probabilities by Platt scaling fitted on 3-fold
 * cross-validated decision values, like scikit-learn's CalibratedClassifierCV in the peer.
 */
public final class SvmLearner implements Learner {

    /** Learner name in the registry. */
    public static final String NAME = "svm";
    /** Serialized format: Platt parameters (NaN for the kernel SVM) and the Tribuo artifact. */
    public static final String FORMAT = "svm-platt-v1+" + TribuoFitted.FORMAT;

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
        TribuoFitted linear = linear(data, used);
        int[] fold = Folds.stratified(data.died(), 3, options.seed());
        double[] f = new double[data.size()];
        for (int k = 0; k < 3; k++) {
            int[][] split = Folds.split(fold, k);
            TrainingData train = data.subset(split[0]);
            TribuoFitted m = linear(train, TribuoFitted.nonConstantColumns(train));
            double[] scores = m.predict(data.subset(split[1]).rows());
            for (int i = 0; i < scores.length; i++) {
                f[split[1][i]] = scores[i];
            }
        }
        return new Trained(linear, Platt.fit(f, data.died()));
    }

    private TribuoFitted linear(TrainingData data, List<String> used) {
        var trainer = new LibLinearClassificationTrainer(new LinearClassificationType(
                LinearClassificationType.LinearType.L2R_L2LOSS_SVC), options.cost(), 1000, 0.01);
        trainer.setInvocationCount(0);
        return new TribuoFitted(NAME, TribuoFitted.train(trainer, data, used), data.featureNames(), used);
    }

    /** Loads an artifact written by {@link Trained#serialize()}. */
    public static Trained deserialize(byte[] artifact) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(artifact))) {
            double a = in.readDouble();
            double b = in.readDouble();
            return new Trained(TribuoFitted.deserialize(NAME, in.readAllBytes()), Double.isNaN(a)
                    ? null
                    : new Platt(a, b));
        } catch (IOException e) {
            throw new IllegalStateException("stored SVM cannot be read: " + e.getMessage(), e);
        }
    }

    /** A trained SVM: LibSVM probabilities, or linear decision values through Platt scaling. */
    public static final class Trained implements FittedModel {
        private final TribuoFitted svm;
        private final Platt platt;

        Trained(TribuoFitted svm, Platt platt) {
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
            try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeDouble(platt == null ? Double.NaN : platt.a());
                out.writeDouble(platt == null ? Double.NaN : platt.b());
                out.write(svm.serialize());
                out.flush();
                return bytes.toByteArray();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String format() {
            return FORMAT;
        }
    }
}
