package org.covidrisk.ensemble.learn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.liblinear.LibLinearClassificationTrainer;
import org.tribuo.classification.liblinear.LinearClassificationType;

/**
 * Regularised logistic regression (LibLinear through Tribuo) on standardised features: L2 ("logistic") or
 * L1, the LASSO-logistic model of the stacking paper ("lasso"). Options follow Tribuo's Trainer/Options split;
 * the trained model keeps Tribuo's provenance.
 */
public final class LogisticLearner implements Learner {

    /** Learner name of the L2-penalised model in the registry. */
    public static final String NAME = "logistic";
    /** Learner name of the L1-penalised (LASSO) model in the registry. */
    public static final String LASSO = "lasso";
    /** Serialized format of the artifact. */
    public static final String FORMAT = TribuoFitted.FORMAT;

    /**
     * Options with defaults.
     *
     * @param l1 L1 penalty (LASSO) instead of L2
     * @param cost inverse regularisation strength (LibLinear's C)
     */
    public record Options(boolean l1, double cost, int maxIterations, double epsilon) {
        public static Options defaults() {
            return new Options(false, 1.0, 1000, 0.001);
        }

        /** The stacking paper's LASSO-logistic base learner (C = 0.1, as the scikit-learn peer). */
        public static Options lasso() {
            return new Options(true, 0.1, 1000, 0.001);
        }

        public Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", l1 ? "L1R_LR" : "L2R_LR");
            m.put("cost", cost);
            m.put("maxIterations", maxIterations);
            m.put("epsilon", epsilon);
            m.put("standardisation", "mean-std");
            return m;
        }
    }

    /** A trained logistic model with the feature order it expects. */
    public static final class Trained extends TribuoFitted {
        Trained(String name, Model<Label> model, List<String> featureNames, List<String> used) {
            super(name, model, featureNames, used);
        }

        public double[] predict(TrainingData data) {
            return predict(data.rows());
        }
    }

    private final Options options;
    private final long seed;

    public LogisticLearner(Options options, long seed) {
        this.options = options;
        this.seed = seed;
    }

    @Override
    public String name() {
        return options.l1() ? LASSO : NAME;
    }

    @Override
    public Map<String, Object> options() {
        return options.asMap();
    }

    @Override
    public Trained fit(TrainingData data) {
        return train(data);
    }

    public Trained train(TrainingData data) {
        List<String> used = TribuoFitted.nonConstantColumns(data);
        var liblinear = new LibLinearClassificationTrainer(
                new LinearClassificationType(options.l1()
                        ? LinearClassificationType.LinearType.L1R_LR
                        : LinearClassificationType.LinearType.L2R_LR),
                options.cost(), options.maxIterations(), options.epsilon());
        liblinear.setInvocationCount(0);
        // LibLinear's solvers are deterministic here; the seed is recorded for the split.
        return new Trained(name(), TribuoFitted.train(liblinear, data, used), data.featureNames(), used);
    }

    public long seed() {
        return seed;
    }

    /** Loads an artifact of the L2 model written by {@link Trained#serialize()}. */
    public static Trained deserialize(byte[] artifact) {
        return deserialize(NAME, artifact);
    }

    /** Loads an artifact written by {@link Trained#serialize()} under the given learner name. */
    public static Trained deserialize(String name, byte[] artifact) {
        TribuoFitted.Parts p = TribuoFitted.read(artifact);
        return new Trained(name, p.model(), p.featureNames(), p.used());
    }
}
