package org.covidrisk.ensemble.learn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The learners the suite can train, by registry name, with their default options, and the loader that turns
 * a stored artifact back into a model.
 */
public final class Learners {

    /** Base learners of the default stack (the stacking paper's set, as the scikit-learn peer). */
    public static final List<String> DEFAULT_STACK = List.of(LogisticLearner.LASSO, LightGbmLearner.RANDOM_FOREST,
            LightGbmLearner.NAME, KnnLearner.NAME, SvmLearner.NAME, MlpLearner.NAME);

    /** Every learner name. */
    public static final List<String> NAMES = List.of(LogisticLearner.NAME, LogisticLearner.LASSO,
            LightGbmLearner.NAME, LightGbmLearner.RANDOM_FOREST, KnnLearner.NAME, SvmLearner.NAME, MlpLearner.NAME,
            MlpLearner.STAGE_NN, StackingLearner.NAME, GamLearner.NAME);

    private Learners() {
    }

    /**
     * Whether a learner's inputs are MICE-imputed. Tree learners split on missing values themselves and keep NaN;
     * every other learner needs complete vectors. A stack is one model with one input row: its bases, trees
     * included, see the imputed row (per-base views would need two feature layouts inside the stack artifact).
     */
    public static boolean imputesInputs(String learner) {
        return !(LightGbmLearner.NAME.equals(learner) || LightGbmLearner.RANDOM_FOREST.equals(learner));
    }

    /** The learner with default options; unknown names are refused. */
    public static Learner create(String name, long seed) {
        return switch (name) {
            case LogisticLearner.NAME -> new LogisticLearner(LogisticLearner.Options.defaults(), seed);
            case LogisticLearner.LASSO -> new LogisticLearner(LogisticLearner.Options.lasso(), seed);
            case LightGbmLearner.NAME -> new LightGbmLearner(LightGbmLearner.Options.defaults(), seed);
            case LightGbmLearner.RANDOM_FOREST -> new LightGbmLearner(LightGbmLearner.Options.forest(), seed);
            case KnnLearner.NAME -> new KnnLearner(KnnLearner.Options.defaults());
            case SvmLearner.NAME -> new SvmLearner(SvmLearner.Options.defaults(seed));
            case MlpLearner.NAME -> new MlpLearner(MlpLearner.NAME, MlpLearner.Options.defaults(seed));
            case MlpLearner.STAGE_NN -> new MlpLearner(MlpLearner.STAGE_NN, MlpLearner.Options.stageNetwork(seed));
            case StackingLearner.NAME -> stacking(DEFAULT_STACK, 10, false, List.of(), seed);
            case GamLearner.NAME -> new GamLearner(GamLearner.Options.defaults());
            default -> throw new IllegalArgumentException("unknown learner " + name + "; known: " + NAMES);
        };
    }

    /** A stack of the named base learners (default options each). */
    public static StackingLearner stacking(List<String> base, int folds, boolean withBaseFeatures,
            List<String> metaOnlyColumns, long seed) {
        Map<String, Learner> learners = new LinkedHashMap<>();
        for (String b : base) {
            if (b.equals(StackingLearner.NAME)) {
                throw new IllegalArgumentException("a stack cannot contain a stack");
            }
            learners.put(b, create(b, seed));
        }
        return new StackingLearner(new StackingLearner.Options(base, folds, withBaseFeatures, metaOnlyColumns,
                seed), learners);
    }

    /** Reads an artifact stored under a learner name. */
    public static FittedModel load(String learner, byte[] artifact) {
        return switch (learner) {
            case LogisticLearner.NAME, LogisticLearner.LASSO -> LogisticLearner.deserialize(learner, artifact);
            case KnnLearner.NAME -> KnnLearner.deserialize(artifact);
            case SvmLearner.NAME -> SvmLearner.deserialize(artifact);
            case LightGbmLearner.NAME, LightGbmLearner.RANDOM_FOREST -> LightGbmLearner.deserialize(learner,
                    artifact);
            case MlpLearner.NAME, MlpLearner.STAGE_NN -> MlpLearner.deserialize(learner, artifact);
            case StackingLearner.NAME -> StackingLearner.deserialize(artifact);
            case GamLearner.NAME -> GamLearner.deserialize(artifact);
            default -> throw new IllegalStateException("stored model of unknown learner " + learner);
        };
    }
}
