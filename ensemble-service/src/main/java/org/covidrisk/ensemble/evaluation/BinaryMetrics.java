package org.covidrisk.ensemble.evaluation;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scalar metrics of predicted death probabilities against outcomes, keyed in snake_case for JSON and the model
 * registry. Every definition follows scikit-learn (the peer the papers used), with a death predicted when
 * {@code p >= 0.5}:
 * <ul>
 * <li>{@code n}, {@code prevalence} (share of deaths), {@code tp}, {@code fp}, {@code tn}, {@code fn};</li>
 * <li>{@code auroc} ({@code roc_auc_score}, rank-sum with ties averaged; NaN when one class is absent);</li>
 * <li>{@code brier} ({@code brier_score_loss}), {@code log_loss} ({@code log_loss}, p clipped to
 * [1e-15, 1 - 1e-15]);</li>
 * <li>{@code accuracy}, {@code sensitivity}, {@code specificity} (NaN when the class is absent, as before);</li>
 * <li>{@code precision}, {@code recall}, {@code f1} of the death class, 0 on a zero division as sklearn's
 * {@code zero_division=0}; {@code macro_f1}, the mean F1 over the classes present in outcomes or predictions,
 * and {@code micro_f1} (equal to accuracy here), as {@code f1_score(average='macro' | 'micro')};</li>
 * <li>{@code calibration_intercept} and {@code calibration_slope} ({@link Calibration}; NaN when not
 * estimable);</li>
 * <li>{@code ece}: expected calibration error over the 10 equal-width bins of {@link ReliabilityDiagram}.</li>
 * </ul>
 */
public final class BinaryMetrics {

    /** Predicted death when the probability reaches this value (sklearn's {@code predict} of a binary model). */
    public static final double THRESHOLD = 0.5;

    /** Bins of the expected calibration error in {@link #of}. */
    public static final int ECE_BINS = 10;

    private BinaryMetrics() {
    }

    /**
     * All scalar metrics in a fixed key order.
     *
     * @throws IllegalArgumentException when the arrays differ in length, are empty, or a value is not in [0, 1]
     */
    public static Map<String, Double> of(double[] p, boolean[] died) {
        check(p, died);
        ConfusionMatrix c = ConfusionMatrix.of(p, died, THRESHOLD);
        int n = p.length;
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("n", (double) n);
        m.put("auroc", auroc(p, died));
        double brier = 0;
        double logLoss = 0;
        for (int i = 0; i < n; i++) {
            double y = died[i] ? 1 : 0;
            brier += (p[i] - y) * (p[i] - y);
            double q = Calibration.clip(p[i]);
            logLoss -= y * Math.log(q) + (1 - y) * Math.log(1 - q);
        }
        m.put("brier", brier / n);
        m.put("log_loss", logLoss / n);
        m.put("accuracy", c.accuracy());
        m.put("sensitivity", c.tp() + c.fn() == 0 ? Double.NaN : (double) c.tp() / (c.tp() + c.fn()));
        m.put("specificity", c.tn() + c.fp() == 0 ? Double.NaN : (double) c.tn() / (c.tn() + c.fp()));
        m.put("precision", ratio(c.tp(), c.tp() + c.fp()));
        m.put("recall", ratio(c.tp(), c.tp() + c.fn()));
        double f1Death = ratio(2 * c.tp(), 2 * c.tp() + c.fp() + c.fn());
        m.put("f1", f1Death);
        m.put("macro_f1", macroF1(c, f1Death));
        // with every label counted once, micro-averaged precision, recall and F1 all equal accuracy
        m.put("micro_f1", c.accuracy());
        Calibration cal = Calibration.of(p, died);
        m.put("calibration_intercept", cal.intercept());
        m.put("calibration_slope", cal.slope());
        m.put("ece", ReliabilityDiagram.of(p, died, ECE_BINS).ece());
        m.put("tp", (double) c.tp());
        m.put("fp", (double) c.fp());
        m.put("tn", (double) c.tn());
        m.put("fn", (double) c.fn());
        m.put("prevalence", (double) (c.tp() + c.fn()) / n);
        return m;
    }

    /**
     * sklearn averages over the labels found in outcomes or predictions: a class that is in neither (a hospital
     * with no deaths where no death is predicted) does not count, so that case scores 1, not 0.5.
     */
    private static double macroF1(ConfusionMatrix c, double f1Death) {
        double f1Survival = ratio(2 * c.tn(), 2 * c.tn() + c.fp() + c.fn());
        boolean deathPresent = c.tp() + c.fn() + c.fp() > 0;
        boolean survivalPresent = c.tn() + c.fp() + c.fn() > 0;
        if (deathPresent && survivalPresent) {
            return (f1Death + f1Survival) / 2;
        }
        return deathPresent ? f1Death : f1Survival;
    }

    /** sklearn's {@code zero_division=0}: an empty denominator gives 0 rather than NaN. */
    static double ratio(long num, long den) {
        return den == 0 ? 0 : (double) num / den;
    }

    static void check(double[] p, boolean[] died) {
        if (p.length != died.length || p.length == 0) {
            throw new IllegalArgumentException("need equal, non-empty arrays");
        }
        for (double x : p) {
            if (!(x >= 0 && x <= 1)) {
                throw new IllegalArgumentException("a prediction is not a probability: " + x);
            }
        }
    }

    /** Area under the ROC curve; NaN when only one class is present. */
    public static double auroc(double[] p, boolean[] died) {
        int n = p.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(p[a], p[b]));
        double rankSumPos = 0;
        long pos = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && p[order[j + 1]] == p[order[i]]) {
                j++;
            }
            double avgRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (died[order[k]]) {
                    rankSumPos += avgRank;
                    pos++;
                }
            }
            i = j + 1;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }
}
