package org.covidrisk.feature.population;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Exact top-K cosine search: every query against every population member, on the normalised float vectors, in
 * parallel over queries, with a bounded min-heap per query. Written by hand because the patient vectors are short
 * (tens of features) and dense: a flat scan the JIT vectorises beats a tree index there (a KD-tree degenerates
 * past ~10 dimensions), and it is the reference that measures the approximate index's exactness. Ties keep the
 * lower population index.
 */
public final class ExactCosineSearch implements NeighbourSearch {

    private final float[] data;
    private final int n;
    private final int dim;
    private final int threads;

    public ExactCosineSearch(double[][] population, int threads) {
        this.n = population.length;
        this.dim = n == 0 ? 0 : population[0].length;
        this.data = NeighbourSearch.normalise(population, dim);
        this.threads = Math.max(1, threads);
    }

    @Override
    public int[][] selfNeighbours(int k) {
        return run(data, n, true, k);
    }

    @Override
    public int[][] neighbours(double[][] queries, int k) {
        return run(NeighbourSearch.normalise(queries, dim), queries.length, false, k);
    }

    /** Query i is the i-th vector of {@code queries}; in self mode it is population member i, left out. */
    private int[][] run(float[] queries, int count, boolean self, int k) {
        int kk = Math.min(k, self ? n - 1 : n);
        int[][] out = new int[count][];
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
        // heap-sort into descending similarity (ascending index among ties)
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
