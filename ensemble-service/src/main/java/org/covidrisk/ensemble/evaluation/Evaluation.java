package org.covidrisk.ensemble.evaluation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the suite reports about predicted death probabilities on a test set, in one immutable value that
 * serialises to JSON as it is (records, lists and numbers): the scalar metrics of {@link BinaryMetrics}, the
 * confusion matrix at 0.5, the ROC curve, the reliability diagram, the stacking paper's reliability profile and
 * the PLOS paper's hypothesis-test mode with the probability itself as the estimator (run
 * {@link HypothesisTest#of} for other estimators such as hidden-neuron outputs). Per-hospital figures come from
 * {@link #byGroup}.
 *
 * @param metrics scalar metrics, keys as {@link BinaryMetrics#of}
 * @param confusion counts at the 0.5 threshold
 * @param roc ROC curve points
 * @param reliability reliability diagram with its ECE
 * @param reliabilityProfile hit and miss shares per confidence bin
 * @param hypothesisTest Type-I/II errors over the critical bound, the bound for the target α, histograms
 */
public record Evaluation(Map<String, Double> metrics, ConfusionMatrix confusion, RocCurve roc,
        ReliabilityDiagram reliability, ReliabilityProfile reliabilityProfile, HypothesisTest hypothesisTest) {

    /**
     * How finely the curves are drawn.
     *
     * @param calibrationBins equal-width probability bins of the reliability diagram (its ECE; the {@code ece}
     *        metric always uses 10)
     * @param profileBins equal-width confidence bins of the reliability profile over [0.5, 1]
     * @param targetAlpha Type-I error allowed when choosing the critical bound
     * @param hypothesisGridPoints bounds on the Type-I/II curves
     * @param histogramBins bins of the estimator's per-class histograms
     */
    public record Options(int calibrationBins, int profileBins, double targetAlpha, int hypothesisGridPoints,
            int histogramBins) {

        /** 10 calibration and 10 confidence bins, α = 0.05, 101 bounds (steps of 0.01), 20 histogram bins. */
        public static final Options DEFAULTS = new Options(10, 10, 0.05, 101, 20);

        public Options {
            if (calibrationBins < 1 || profileBins < 1 || histogramBins < 1) {
                throw new IllegalArgumentException("bin counts must be positive");
            }
            if (hypothesisGridPoints < 2) {
                throw new IllegalArgumentException("need at least two bounds");
            }
            if (!(targetAlpha >= 0 && targetAlpha <= 1)) {
                throw new IllegalArgumentException("alpha must lie in [0, 1]");
            }
        }

        public Options withTargetAlpha(double alpha) {
            return new Options(calibrationBins, profileBins, alpha, hypothesisGridPoints, histogramBins);
        }

        public Options withCalibrationBins(int bins) {
            return new Options(bins, profileBins, targetAlpha, hypothesisGridPoints, histogramBins);
        }

        public Options withProfileBins(int bins) {
            return new Options(calibrationBins, bins, targetAlpha, hypothesisGridPoints, histogramBins);
        }

        public Options withHypothesisGridPoints(int points) {
            return new Options(calibrationBins, profileBins, targetAlpha, points, histogramBins);
        }

        public Options withHistogramBins(int bins) {
            return new Options(calibrationBins, profileBins, targetAlpha, hypothesisGridPoints, bins);
        }
    }

    public Evaluation {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** The evaluation with {@link Options#DEFAULTS}. */
    public static Evaluation of(double[] p, boolean[] died) {
        return of(p, died, Options.DEFAULTS);
    }

    /**
     * Evaluates probabilities of death against outcomes.
     *
     * @throws IllegalArgumentException when the arrays differ in length, are empty, or a value is not in [0, 1]
     */
    public static Evaluation of(double[] p, boolean[] died, Options options) {
        return new Evaluation(BinaryMetrics.of(p, died), ConfusionMatrix.of(p, died, BinaryMetrics.THRESHOLD),
                RocCurve.of(p, died), ReliabilityDiagram.of(p, died, options.calibrationBins()),
                ReliabilityProfile.of(p, died, options.profileBins()), HypothesisTest.of(p, died,
                        options.targetAlpha(), options.hypothesisGridPoints(), options.histogramBins()));
    }

    /** The scalar metrics and mortality rate per group (hospital), in group key order. */
    public static List<GroupMetrics> byGroup(double[] p, boolean[] died, String[] groups) {
        return GroupMetrics.byGroup(p, died, groups);
    }
}
