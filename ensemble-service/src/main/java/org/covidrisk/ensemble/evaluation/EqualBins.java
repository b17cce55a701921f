package org.covidrisk.ensemble.evaluation;

/**
 * Equal-width bins over [lo, hi]: each bin holds [lower, upper) and the last one also its upper edge, like
 * {@code numpy.histogram}. Edges are {@code lo + i·step} as {@code numpy.linspace} computes them, so a value
 * on an edge lands in the same bin as in the Python peers.
 */
final class EqualBins {

    private final double[] edges;

    EqualBins(double lo, double hi, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("need at least one bin: " + count);
        }
        if (!(hi > lo)) {
            throw new IllegalArgumentException("empty bin range [" + lo + ", " + hi + "]");
        }
        edges = new double[count + 1];
        double step = (hi - lo) / count;
        for (int i = 0; i < count; i++) {
            edges[i] = lo + i * step;
        }
        edges[count] = hi;
    }

    int count() {
        return edges.length - 1;
    }

    double lower(int bin) {
        return edges[bin];
    }

    double upper(int bin) {
        return edges[bin + 1];
    }

    /** The bin of a value, values outside [lo, hi] going to the first or last bin. */
    int of(double v) {
        // binary search for the number of inner edges at or below v
        int lo = 1;
        int hi = edges.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (edges[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo - 1;
    }
}
