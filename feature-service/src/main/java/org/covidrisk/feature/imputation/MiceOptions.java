package org.covidrisk.feature.imputation;

/**
 * Settings of one MICE run.
 *
 * @param imputations m, the number of completed data sets (independent chains)
 * @param iterations Gibbs iterations of each chain over the incomplete variables
 * @param seed seed of every random draw; the same seed and data give the same imputations
 * @param donors candidate donors of predictive mean matching (van Buuren's default 5)
 * @param maxStoredDonors largest donor pool kept per variable in a fitted imputer (evenly thinned by predicted
 *        mean), so that it stays small enough to travel with a model
 * @param scoringIterations chained passes over a new patient's missing inputs when a fitted imputer is applied
 */
public record MiceOptions(int imputations, int iterations, long seed, int donors, int maxStoredDonors,
        int scoringIterations) {

    /** As the stacking paper: m = 10 imputations of 10 iterations each; 5 donors, 2,000 stored, 5 scoring passes. */
    public static MiceOptions defaults(long seed) {
        return new MiceOptions(10, 10, seed, 5, 2000, 5);
    }

    public MiceOptions {
        if (imputations < 1 || imputations > 100) {
            throw new IllegalArgumentException("imputations must be 1-100, was " + imputations);
        }
        if (iterations < 1 || iterations > 200) {
            throw new IllegalArgumentException("iterations must be 1-200, was " + iterations);
        }
        if (donors < 1 || donors > 50) {
            throw new IllegalArgumentException("donors must be 1-50, was " + donors);
        }
        if (maxStoredDonors < donors) {
            throw new IllegalArgumentException("maxStoredDonors must be at least donors");
        }
        if (scoringIterations < 1 || scoringIterations > 100) {
            throw new IllegalArgumentException("scoringIterations must be 1-100, was " + scoringIterations);
        }
    }
}
