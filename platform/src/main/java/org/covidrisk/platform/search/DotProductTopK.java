package org.covidrisk.platform.search;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Exact top-K by dot product over a flat float matrix: every query against every row, in parallel over queries,
 * with a bounded min-heap per query. Ties keep the lower row index. Shared by feature-service's cosine search
 * (unit vectors) and ensemble-service's kNN (Euclidean distance as a dot product of augmented vectors, see
 * {@link #euclidean}).
 * <p>
 * Written by hand because the patient vectors are short (tens of features) and dense: a flat scan the JIT
 * vectorises beats a tree index there (a KD-tree degenerates past ~10 dimensions), and the libraries on the
 * classpath are far slower on it (Tribuo's brute-force kNN: ≈ 20 s for 2,800 queries against 25,000 rows of 29
 * features on two cores, where this scan takes about one second).
 */
public final class DotProductTopK {

    private final float[] data;
    private final int n;
    private final int dim;
    private final int threads;

    /**
     * @param data row-major rows, {@code n * dim} values
     * @param dim values per row
     * @param threads parallel queries
     */
    public DotProductTopK(float[] data, int dim, int threads) {
        this.dim = dim;
        this.n = dim == 0 ? 0 : data.length / dim;
        this.data = data;
        this.threads = Math.max(1, threads);
    }

    /**
     * Euclidean nearest neighbours as a dot product: row x becomes {@code [x, |x|²]} and query q
     * {@code [2q, -1]}, so that {@code q'·x' = 2 q·x - |x|² = |q|² - |q - x|²} orders rows by distance.
     *
     * @param rows the points ({@code rows} arrays of equal length)
     * @param query whether to build the query form instead of the row form
     */
    public static float[] euclidean(double[][] rows, boolean query) {
        int d = rows.length == 0 ? 0 : rows[0].length;
        float[] out = new float[rows.length * (d + 1)];
        for (int i = 0; i < rows.length; i++) {
            double sq = 0;
            int o = i * (d + 1);
            for (int j = 0; j < d; j++) {
                double v = rows[i][j];
                sq += v * v;
                out[o + j] = (float) (query ? 2 * v : v);
            }
            out[o + d] = query ? -1f : (float) sq;
        }
        return out;
    }

    /** The k rows of largest dot product with each row of this matrix, leaving the row itself out; best first. */
    public int[][] searchSelf(int k) {
        return search(data, true, k);
    }

    /** The k rows of largest dot product with each query (row-major, this matrix's width), best first. */
    public int[][] search(float[] queries, int k) {
        return search(queries, false, k);
    }

    private int[][] search(float[] queries, boolean self, int k) {
        int count = dim == 0 ? 0 : queries.length / dim;
        int kk = Math.max(0, Math.min(k, self ? n - 1 : n));
        int[][] out = new int[count][];
        if (count <= 1 || threads == 1) {
            // one patient scored at a time (the services' hot path): no pool to start and stop
            for (int i = 0; i < count; i++) {
                out[i] = topK(queries, i * dim, self ? i : -1, kk);
            }
            return out;
        }
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            pool.submit(() -> IntStream.range(0, count).parallel()
                    .forEach(i -> out[i] = topK(queries, i * dim, self ? i : -1, kk))).join();
        } finally {
            pool.shutdown();
        }
        return out;
    }

    /** Top-k by dot product with a min-heap on (score, then higher index first out). */
    private int[] topK(float[] qs, int qo, int exclude, int k) {
        float[] hs = new float[k];
        int[] hi = new int[k];
        int size = 0;
        if (k == 0) {
            return new int[0];
        }
        for (int j = 0; j < n; j++) {
            if (j == exclude) {
                continue;
            }
            float s = 0;
            int jo = j * dim;
            for (int d = 0; d < dim; d++) {
                s += qs[qo + d] * data[jo + d];
            }
            if (size < k) {
                hs[size] = s;
                hi[size] = j;
                siftUp(hs, hi, size++);
            } else if (s > hs[0]) {
                // strictly better than the worst kept: on equal scores the earlier (lower) index stays
                hs[0] = s;
                hi[0] = j;
                siftDown(hs, hi, size);
            }
        }
        // heap-sort into descending score (ascending index among ties)
        int[] result = new int[size];
        for (int r = size - 1; r >= 0; r--) {
            result[r] = hi[0];
            hs[0] = hs[r];
            hi[0] = hi[r];
            siftDown(hs, hi, r);
        }
        return result;
    }

    /** Heap order: smaller score is "smaller"; among equal scores the higher index is "smaller" (evicted first). */
    private static boolean less(float[] hs, int[] hi, int a, int b) {
        return hs[a] < hs[b] || (hs[a] == hs[b] && hi[a] > hi[b]);
    }

    private static void siftUp(float[] hs, int[] hi, int i) {
        while (i > 0) {
            int p = (i - 1) / 2;
            if (!less(hs, hi, i, p)) {
                return;
            }
            swap(hs, hi, i, p);
            i = p;
        }
    }

    private static void siftDown(float[] hs, int[] hi, int size) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            int r = l + 1;
            int m = i;
            if (l < size && less(hs, hi, l, m)) {
                m = l;
            }
            if (r < size && less(hs, hi, r, m)) {
                m = r;
            }
            if (m == i) {
                return;
            }
            swap(hs, hi, i, m);
            i = m;
        }
    }

    private static void swap(float[] hs, int[] hi, int a, int b) {
        float t = hs[a];
        hs[a] = hs[b];
        hs[b] = t;
        int u = hi[a];
        hi[a] = hi[b];
        hi[b] = u;
    }
}
