package org.covidrisk.feature.population;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class PopulationMetaFeaturesTest {

    /** Discrete, tie-rich rows like the DGE vectors (binary flags plus a coarse age). */
    static double[][] population(int n, long seed) {
        Random r = new Random(seed);
        double[][] x = new double[n][6];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < 5; d++) {
                x[i][d] = r.nextInt(2) - 0.4;
            }
            x[i][5] = (r.nextInt(9) - 4) / 2.0;
        }
        return x;
    }

    /** The reference: score every pair, sort by (similarity desc, index asc), take K. */
    static int[][] bruteForce(double[][] x, int k) {
        int dim = x[0].length;
        float[] v = NeighbourSearch.normalise(x, dim);
        int[][] out = new int[x.length][];
        for (int i = 0; i < x.length; i++) {
            final int qi = i;
            List<Integer> others = new ArrayList<>();
            float[] sim = new float[x.length];
            for (int j = 0; j < x.length; j++) {
                float s = 0;
                for (int d = 0; d < dim; d++) {
                    s += v[qi * dim + d] * v[j * dim + d];
                }
                sim[j] = s;
                if (j != qi) {
                    others.add(j);
                }
            }
            others.sort(Comparator.<Integer>comparingDouble(j -> -sim[j]).thenComparingInt(j -> j));
            out[i] = others.subList(0, k).stream().mapToInt(Integer::intValue).toArray();
        }
        return out;
    }

    @Test
    void exactSearchEqualsBruteForceAndSoDoTheMetaFeatures() {
        double[][] x = population(400, 1);
        Random r = new Random(2);
        boolean[] died = new boolean[x.length];
        double[] age = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            died[i] = r.nextDouble() < 0.2;
            age[i] = r.nextInt(100);
        }
        int[][] exact = new ExactCosineSearch(x, 2).selfNeighbours(25);
        int[][] reference = bruteForce(x, 25);
        for (int i = 0; i < x.length; i++) {
            assertArrayEquals(reference[i], exact[i], "row " + i);
        }
        var a = PopulationMetaFeatures.of(exact, died, age);
        var b = PopulationMetaFeatures.of(reference, died, age);
        assertArrayEquals(b.lethality(), a.lethality(), 0.0);
        assertArrayEquals(b.deathEntropy(), a.deathEntropy(), 0.0);
        assertArrayEquals(b.ageEntropy(), a.ageEntropy(), 0.0);
    }

    @Test
    void equationsOnAHandWorkedNeighbourhood() {
        boolean[] died = {true, false, false, true};
        double[] age = {35, 38, 71, 95};
        var m = PopulationMetaFeatures.of(new int[][]{{0, 1, 2, 3}, {1, 2}}, died, age);
        assertEquals(0.5, m.lethality()[0], 1e-12);
        assertEquals(1.0, m.deathEntropy()[0], 1e-12, "p = 0.5: one bit");
        // deciles 3, 3, 7, 9 -> {0.5, 0.25, 0.25}: 1.5 bits
        assertEquals(1.5, m.ageEntropy()[0], 1e-12);
        assertEquals(0.0, m.lethality()[1], 1e-12);
        assertEquals(0.0, m.deathEntropy()[1], 1e-12);
    }

    @Test
    void newPatientsAreComparedWithTheTrainingPopulationOnly() {
        double[][] train = {{1, 0}, {0.9, 0.1}, {0, 1}};
        int[][] nb = new ExactCosineSearch(train, 1).neighbours(new double[][]{{2, 0}}, 2);
        assertArrayEquals(new int[]{0, 1}, nb[0]);
    }

    @Test
    void hnswFindsNearlyAllTrueNeighbours() throws Exception {
        Random r = new Random(3);
        double[][] x = new double[3000][12];
        for (double[] row : x) {
            for (int d = 0; d < row.length; d++) {
                row[d] = r.nextGaussian();
            }
        }
        int k = 50;
        int[][] exact = new ExactCosineSearch(x, 2).selfNeighbours(k);
        int[][] approx = new HnswCosineSearch(x, HnswCosineSearch.Options.defaults(), 2).selfNeighbours(k);
        double recall = Exactness.recall(exact, approx);
        assertTrue(recall > 0.95, "recall " + recall);
    }
}
