package org.covidrisk.feature.population;

/**
 * Finds, for query vectors, the K most cosine-similar vectors of a population (the stacking paper's Eq. 3).
 * Vectors are L2-normalised once, so cosine similarity is a dot product.
 */
public interface NeighbourSearch {

    /**
     * The K nearest population members of every population member, leaving the member itself out.
     *
     * @return one array of population indices per member, most similar first
     */
    int[][] selfNeighbours(int k);

    /** The K nearest population members of each query vector (not normalised; any scale). */
    int[][] neighbours(double[][] queries, int k);

    /** Rows scaled to unit length; a zero row stays zero (it is equally similar to everything). */
    static float[] normalise(double[][] rows, int dim) {
        float[] out = new float[rows.length * dim];
        for (int i = 0; i < rows.length; i++) {
            double norm = 0;
            for (int d = 0; d < dim; d++) {
                norm += rows[i][d] * rows[i][d];
            }
            double inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
            for (int d = 0; d < dim; d++) {
                out[i * dim + d] = (float) (rows[i][d] * inv);
            }
        }
        return out;
    }
}
