package org.covidrisk.ensemble.evaluation;

import java.util.ArrayList;
import java.util.List;

/**
 * The stacking paper's reliability profile (Sci. Rep. 2023, Fig. 9): predictions grouped by the model's
 * confidence in its own call, {@code max(p, 1 − p)} in [0.5, 1], with the share of hits (correct calls at the
 * 0.5 threshold) and misses in each equal-width confidence bin. A model with a useful profile misses less the
 * more confident it is; a score can then quote the historical hit rate of its bin ({@link #binFor}) and abstain
 * where it is low. Every bin is listed, empty ones with zero shares, so the axis is the same for every model.
 *
 * @param bins confidence bins in ascending order; their counts sum to the number of predictions
 */
public record ReliabilityProfile(List<Bin> bins) {

    /**
     * One confidence bin.
     *
     * @param lower lower confidence edge (inclusive)
     * @param upper upper confidence edge (exclusive, except for the last bin)
     * @param count predictions whose confidence falls in the bin
     * @param hits correct calls
     * @param misses wrong calls
     * @param hitShare hits / count (0 for an empty bin)
     * @param missShare misses / count (0 for an empty bin)
     */
    public record Bin(double lower, double upper, long count, long hits, long misses, double hitShare,
            double missShare) {
    }

    public ReliabilityProfile {
        bins = List.copyOf(bins);
    }

    /** Bins the confidence range [0.5, 1] into {@code nBins} equal parts. */
    public static ReliabilityProfile of(double[] p, boolean[] died, int nBins) {
        BinaryMetrics.check(p, died);
        EqualBins edges = new EqualBins(0.5, 1, nBins);
        long[] count = new long[nBins];
        long[] hits = new long[nBins];
        for (int i = 0; i < p.length; i++) {
            int b = edges.of(confidence(p[i]));
            count[b]++;
            boolean predicted = p[i] >= BinaryMetrics.THRESHOLD;
            hits[b] += predicted == died[i] ? 1 : 0;
        }
        List<Bin> bins = new ArrayList<>(nBins);
        for (int b = 0; b < nBins; b++) {
            long misses = count[b] - hits[b];
            bins.add(new Bin(edges.lower(b), edges.upper(b), count[b], hits[b], misses,
                    BinaryMetrics.ratio(hits[b], count[b]), BinaryMetrics.ratio(misses, count[b])));
        }
        return new ReliabilityProfile(bins);
    }

    /** The model's confidence in its call on a probability of death. */
    public static double confidence(double p) {
        return Math.max(p, 1 - p);
    }

    /** The bin a new prediction's confidence falls in; check its count before trusting its hit share. */
    public Bin binFor(double p) {
        for (int b = bins.size() - 1; b > 0; b--) {
            if (confidence(p) >= bins.get(b).lower()) {
                return bins.get(b);
            }
        }
        return bins.get(0);
    }
}
