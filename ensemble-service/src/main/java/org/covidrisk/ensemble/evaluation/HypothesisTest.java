package org.covidrisk.ensemble.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The PLOS ONE 2021 paper's hybrid hypothesis-test mode (section 3.1): a model output Z (the softmax output of
 * death, or a hidden neuron's output) is used as the estimator of a frequentist test that calls a patient a
 * death when {@code Z >= pα}, the critical bound. Larger Z must mean death (negate an estimator that runs the
 * other way). For each bound:
 * <ul>
 * <li>Type-I error: share of survivors with {@code Z >= pα} (called deaths wrongly), 0 without survivors;</li>
 * <li>Type-II error: share of deaths with {@code Z < pα} (missed), 0 without deaths;</li>
 * <li>accuracy of the call over all patients (the paper's Fig. 4(b)).</li>
 * </ul>
 * The curves run over an even grid of bounds; the bound chosen for a target α is exact rather than read off the
 * grid: the smallest observed value of Z whose Type-I error is at most α (any bound between it and the next
 * lower observed value makes the same calls), or just above the largest Z when none qualifies. The per-class
 * histograms are the estimator's normalised distributions (the paper's Fig. 3).
 *
 * @param targetAlpha the Type-I error allowed
 * @param survivors patients who survived (the Type-I denominator)
 * @param deaths patients who died (the Type-II denominator)
 * @param criticalBound the chosen pα
 * @param typeIError Type-I error at the chosen bound, at most {@code targetAlpha}
 * @param typeIIError Type-II error at the chosen bound
 * @param accuracy accuracy at the chosen bound
 * @param curve errors over the grid of bounds, in increasing bound order
 * @param histogram both classes' distributions of the estimator over the grid's range
 */
public record HypothesisTest(double targetAlpha, long survivors, long deaths, double criticalBound,
        double typeIError, double typeIIError, double accuracy, List<Point> curve, List<HistogramBin> histogram) {

    /**
     * The test at one critical bound.
     *
     * @param bound pα
     * @param typeIError share of survivors with Z ≥ pα
     * @param typeIIError share of deaths with Z &lt; pα
     * @param accuracy share of correct calls
     */
    public record Point(double bound, double typeIError, double typeIIError, double accuracy) {
    }

    /**
     * One bin of the estimator's distributions.
     *
     * @param lower lower edge (inclusive)
     * @param upper upper edge (exclusive, except for the last bin)
     * @param survivors survivors with Z in the bin
     * @param deaths deaths with Z in the bin
     * @param survivorShare survivors in the bin / all survivors (0 without survivors)
     * @param deathShare deaths in the bin / all deaths (0 without deaths)
     */
    public record HistogramBin(double lower, double upper, long survivors, long deaths, double survivorShare,
            double deathShare) {
    }

    public HypothesisTest {
        curve = List.copyOf(curve);
        histogram = List.copyOf(histogram);
    }

    /**
     * Runs the test. The grid and the histogram span [min(0, min Z), max(1, max Z)], i.e. [0, 1] for a
     * probability.
     *
     * @param estimator Z per patient, finite
     * @param died outcome per patient
     * @param targetAlpha allowed Type-I error, in [0, 1]
     * @param gridPoints bounds on the curve, at least 2
     * @param histogramBins bins of the histogram, at least 1
     */
    public static HypothesisTest of(double[] estimator, boolean[] died, double targetAlpha, int gridPoints,
            int histogramBins) {
        if (estimator.length != died.length || estimator.length == 0) {
            throw new IllegalArgumentException("need equal, non-empty arrays");
        }
        if (!(targetAlpha >= 0 && targetAlpha <= 1)) {
            throw new IllegalArgumentException("alpha must lie in [0, 1]: " + targetAlpha);
        }
        if (gridPoints < 2) {
            throw new IllegalArgumentException("need at least two bounds: " + gridPoints);
        }
        int nDeaths = 0;
        for (int i = 0; i < estimator.length; i++) {
            if (!Double.isFinite(estimator[i])) {
                throw new IllegalArgumentException("an estimator value is not finite: " + estimator[i]);
            }
            nDeaths += died[i] ? 1 : 0;
        }
        double[] z0 = new double[estimator.length - nDeaths];
        double[] z1 = new double[nDeaths];
        int k0 = 0;
        int k1 = 0;
        for (int i = 0; i < estimator.length; i++) {
            if (died[i]) {
                z1[k1++] = estimator[i];
            } else {
                z0[k0++] = estimator[i];
            }
        }
        Arrays.sort(z0);
        Arrays.sort(z1);
        double[] all = estimator.clone();
        Arrays.sort(all);
        double lo = Math.min(0, all[0]);
        double hi = Math.max(1, all[all.length - 1]);

        List<Point> curve = new ArrayList<>(gridPoints);
        double step = (hi - lo) / (gridPoints - 1);
        for (int g = 0; g < gridPoints; g++) {
            curve.add(at(g == gridPoints - 1 ? hi : lo + g * step, z0, z1));
        }

        // the Type-I error only falls as the bound rises: take the first observed value that meets alpha
        Point chosen = null;
        for (int i = 0; i < all.length && chosen == null; i++) {
            if (i > 0 && all[i] == all[i - 1]) {
                continue;
            }
            Point candidate = at(all[i], z0, z1);
            if (candidate.typeIError() <= targetAlpha) {
                chosen = candidate;
            }
        }
        if (chosen == null) {
            chosen = at(Math.nextUp(all[all.length - 1]), z0, z1);
        }

        EqualBins bins = new EqualBins(lo, hi, histogramBins);
        long[] h0 = counts(bins, z0);
        long[] h1 = counts(bins, z1);
        List<HistogramBin> histogram = new ArrayList<>(histogramBins);
        for (int b = 0; b < histogramBins; b++) {
            histogram.add(new HistogramBin(bins.lower(b), bins.upper(b), h0[b], h1[b],
                    BinaryMetrics.ratio(h0[b], z0.length), BinaryMetrics.ratio(h1[b], z1.length)));
        }
        return new HypothesisTest(targetAlpha, z0.length, z1.length, chosen.bound(), chosen.typeIError(),
                chosen.typeIIError(), chosen.accuracy(), curve, histogram);
    }

    private static Point at(double bound, double[] sortedSurvivors, double[] sortedDeaths) {
        long falseDeaths = sortedSurvivors.length - below(sortedSurvivors, bound);
        long missedDeaths = below(sortedDeaths, bound);
        long n = sortedSurvivors.length + sortedDeaths.length;
        long correct = (sortedSurvivors.length - falseDeaths) + (sortedDeaths.length - missedDeaths);
        return new Point(bound, BinaryMetrics.ratio(falseDeaths, sortedSurvivors.length),
                BinaryMetrics.ratio(missedDeaths, sortedDeaths.length), (double) correct / n);
    }

    /** Values strictly below the bound in a sorted array. */
    private static int below(double[] sorted, double bound) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < bound) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static long[] counts(EqualBins bins, double[] values) {
        long[] c = new long[bins.count()];
        for (double v : values) {
            c[bins.of(v)]++;
        }
        return c;
    }
}
