package org.covidrisk.feature.population;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

import com.github.jelmerk.hnswlib.core.DistanceFunctions;
import com.github.jelmerk.hnswlib.core.Item;
import com.github.jelmerk.hnswlib.core.SearchResult;
import com.github.jelmerk.hnswlib.core.hnsw.HnswIndex;

/**
 * Approximate top-K cosine search for large populations through an HNSW graph (hnswlib-core). Exactness (the
 * share of the true top K found) is measured against {@link ExactCosineSearch} and reported by the benchmark.
 */
public final class HnswCosineSearch implements NeighbourSearch {

    /** A population member: its index and normalised vector. */
    record Member(Integer id, float[] vector) implements Item<Integer, float[]> {
        @Override
        public int dimensions() {
            return vector.length;
        }
    }

    /** Graph options: links per node, candidate list sizes at build and at query time. */
    public record Options(int m, int efConstruction, int ef) {
        public static Options defaults() {
            return new Options(16, 200, 300);
        }
    }

    private final HnswIndex<Integer, float[], Member, Float> index;
    private final int dim;
    private final int threads;

    public HnswCosineSearch(double[][] population, Options options, int threads) throws InterruptedException {
        int n = population.length;
        this.dim = n == 0 ? 0 : population[0].length;
        this.threads = Math.max(1, threads);
        float[] flat = NeighbourSearch.normalise(population, dim);
        index = HnswIndex.newBuilder(dim, DistanceFunctions.FLOAT_INNER_PRODUCT, Math.max(1, n))
                .withM(options.m()).withEfConstruction(options.efConstruction()).withEf(options.ef()).build();
        List<Member> members = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] v = new float[dim];
            System.arraycopy(flat, i * dim, v, 0, dim);
            members.add(new Member(i, v));
        }
        index.addAll(members, this.threads, (done, max) -> {
        }, Integer.MAX_VALUE);
    }

    @Override
    public int[][] selfNeighbours(int k) {
        int n = index.size();
        int[][] out = new int[n][];
        parallel(n, i -> {
            float[] v = index.get(i).orElseThrow().vector();
            out[i] = search(v, k, i);
        });
        return out;
    }

    @Override
    public int[][] neighbours(double[][] queries, int k) {
        float[] q = NeighbourSearch.normalise(queries, dim);
        int[][] out = new int[queries.length][];
        parallel(queries.length, i -> {
            float[] v = new float[dim];
            System.arraycopy(q, i * dim, v, 0, dim);
            out[i] = search(v, k, -1);
        });
        return out;
    }

    private int[] search(float[] v, int k, int exclude) {
        List<SearchResult<Member, Float>> found = index.findNearest(v, exclude >= 0 ? k + 1 : k);
        int[] ids = new int[k];
        int c = 0;
        for (SearchResult<Member, Float> r : found) {
            int id = r.item().id();
            if (id != exclude && c < k) {
                ids[c++] = id;
            }
        }
        return c == k ? ids : java.util.Arrays.copyOf(ids, c);
    }

    private void parallel(int n, java.util.function.IntConsumer body) {
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            pool.submit(() -> IntStream.range(0, n).parallel().forEach(body)).join();
        } finally {
            pool.shutdown();
        }
    }
}
