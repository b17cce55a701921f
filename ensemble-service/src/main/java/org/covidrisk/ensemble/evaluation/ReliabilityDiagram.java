package org.covidrisk.ensemble.evaluation;

import java.util.ArrayList;
import java.util.List;

/**
 * Reliability diagram: predictions grouped in equal-width probability bins, each with its mean predicted risk
 * and observed death rate, as sklearn's {@code calibration_curve(strategy='uniform')} (empty bins left out), and
 * the expected calibration error {@code ECE = Σ n_b/n · |mean p_b − observed rate_b|} over the same bins.
 *
 * @param bins non-empty bins in ascending order
 * @param ece expected calibration error
 */
public record ReliabilityDiagram(List<Bin> bins, double ece) {

    /**
     * One probability bin.
     *
     * @param lower lower edge (inclusive)
     * @param upper upper edge (exclusive, except for the last bin)
     * @param count predictions in the bin
     * @param meanPredicted mean predicted probability of death
     * @param observedRate share of deaths
     */
    public record Bin(double lower, double upper, long count, double meanPredicted, double observedRate) {
    }

    public ReliabilityDiagram {
        bins = List.copyOf(bins);
    }

    /** Bins [0, 1] into {@code nBins} equal parts. */
    public static ReliabilityDiagram of(double[] p, boolean[] died, int nBins) {
        BinaryMetrics.check(p, died);
        EqualBins edges = new EqualBins(0, 1, nBins);
        long[] count = new long[nBins];
        double[] sumP = new double[nBins];
        long[] deaths = new long[nBins];
        for (int i = 0; i < p.length; i++) {
            int b = edges.of(p[i]);
            count[b]++;
            sumP[b] += p[i];
            deaths[b] += died[i] ? 1 : 0;
        }
        List<Bin> bins = new ArrayList<>();
        double ece = 0;
        for (int b = 0; b < nBins; b++) {
            if (count[b] == 0) {
                continue;
            }
            double mean = sumP[b] / count[b];
            double rate = (double) deaths[b] / count[b];
            bins.add(new Bin(edges.lower(b), edges.upper(b), count[b], mean, rate));
            ece += (double) count[b] / p.length * Math.abs(mean - rate);
        }
        return new ReliabilityDiagram(bins, ece);
    }
}
