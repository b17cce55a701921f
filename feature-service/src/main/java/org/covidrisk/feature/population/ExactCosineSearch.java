package org.covidrisk.feature.population;

import org.covidrisk.platform.search.DotProductTopK;

/**
 * Exact top-K cosine search: every query against every population member, on the normalised float vectors
 * (platform's {@link DotProductTopK}: a parallel flat scan with a bounded heap per query). It is the reference
 * that measures the approximate index's exactness. Ties keep the lower population index.
 */
public final class ExactCosineSearch implements NeighbourSearch {

    private final DotProductTopK scan;
    private final int dim;

    public ExactCosineSearch(double[][] population, int threads) {
        this.dim = population.length == 0 ? 0 : population[0].length;
        this.scan = new DotProductTopK(NeighbourSearch.normalise(population, dim), dim, threads);
    }

    @Override
    public int[][] selfNeighbours(int k) {
        return scan.searchSelf(k);
    }

    @Override
    public int[][] neighbours(double[][] queries, int k) {
        return scan.search(NeighbourSearch.normalise(queries, dim), k);
    }
}
