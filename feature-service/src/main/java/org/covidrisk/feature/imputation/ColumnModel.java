package org.covidrisk.feature.imputation;

import java.util.Random;

/**
 * The scoring-time imputation model of one variable in one chain, fitted without the outcome: predictive mean
 * matching against stored donors for a continuous variable, a (multinomial) logistic model for a binary or
 * categorical one.
 */
public sealed interface ColumnModel {

    /** Draws a value for the variable given the design row of the other variables (no outcome). */
    double impute(double[] design, int donors, Random rng);

    /**
     * Predictive mean matching.
     *
     * @param coefficients linear predictor over the design
     * @param donorPredictions predicted means of the stored donors, ascending
     * @param donorValues their observed values, same order
     */
    record Pmm(double[] coefficients, double[] donorPredictions, double[] donorValues) implements ColumnModel {
        @Override
        public double impute(double[] design, int donors, Random rng) {
            return donorValues[Pmm.match(donorPredictions, LinearAlgebra.dot(coefficients, design), donors, rng)];
        }

        /**
         * Index of a donor drawn uniformly among the {@code d} whose predictions are closest to {@code target}
         * ({@code sorted} ascending).
         */
        static int match(double[] sorted, double target, int d, Random rng) {
            int n = sorted.length;
            int take = Math.min(d, n);
            int hi = java.util.Arrays.binarySearch(sorted, target);
            if (hi < 0) {
                hi = -hi - 1;
            }
            int lo = hi - 1;
            int pick = rng.nextInt(take);
            int chosen = -1;
            for (int t = 0; t <= pick; t++) {
                boolean left = hi >= n || (lo >= 0 && target - sorted[lo] <= sorted[hi] - target);
                chosen = left ? lo-- : hi++;
            }
            return chosen;
        }
    }

    /**
     * Logistic (two levels) or multinomial logistic (more) model.
     *
     * @param levels the variable's observed levels; class 0 is the reference
     * @param coefficients (levels - 1) x design width
     */
    record Logistic(double[] levels, double[][] coefficients) implements ColumnModel {
        @Override
        public double impute(double[] design, int donors, Random rng) {
            if (levels.length == 1) {
                return levels[0];
            }
            double[] p = new double[levels.length];
            MultinomialFit.probabilities(coefficients, design, p);
            return levels[MultinomialFit.sample(p, rng)];
        }
    }
}
