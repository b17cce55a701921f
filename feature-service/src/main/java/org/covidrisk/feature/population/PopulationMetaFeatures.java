package org.covidrisk.feature.population;

/**
 * The population meta-features of the stacking paper (Scientific Reports 2023, Eq. 1-3), from the K most
 * cosine-similar training patients of each patient: lethality (share who died), the binary entropy of death
 * (bits), and the entropy of the age-decile distribution (bits). Computed only against a training population,
 * so a patient's own outcome and test-fold outcomes never enter.
 */
public final class PopulationMetaFeatures {

    /**
     * Meta-features per patient.
     *
     * @param lethality Eq. 1
     * @param deathEntropy Eq. 2
     * @param ageEntropy entropy of the neighbours' age deciles (0-9, 90+ in the last)
     */
    public record Result(double[] lethality, double[] deathEntropy, double[] ageEntropy) {
    }

    private PopulationMetaFeatures() {
    }

    /**
     * @param neighbours per patient, indices into the training population
     * @param trainDied outcome of each training patient
     * @param trainAge age of each training patient (years)
     */
    public static Result of(int[][] neighbours, boolean[] trainDied, double[] trainAge) {
        int n = neighbours.length;
        double[] leth = new double[n];
        double[] dEnt = new double[n];
        double[] aEnt = new double[n];
        for (int i = 0; i < n; i++) {
            int[] nb = neighbours[i];
            if (nb.length == 0) {
                continue;
            }
            int deaths = 0;
            int[] deciles = new int[10];
            for (int j : nb) {
                deaths += trainDied[j] ? 1 : 0;
                deciles[decile(trainAge[j])]++;
            }
            double p = deaths / (double) nb.length;
            leth[i] = p;
            dEnt[i] = binaryEntropy(p);
            double h = 0;
            for (int c : deciles) {
                if (c > 0) {
                    double q = c / (double) nb.length;
                    h -= q * log2(q);
                }
            }
            aEnt[i] = h;
        }
        return new Result(leth, dEnt, aEnt);
    }

    static int decile(double age) {
        if (Double.isNaN(age) || age < 0) {
            return 0;
        }
        return (int) Math.min(9, Math.floor(age / 10));
    }

    /** Binary entropy in bits; 0 at p = 0 or 1. */
    public static double binaryEntropy(double p) {
        if (p <= 0 || p >= 1) {
            return 0;
        }
        return -(p * log2(p) + (1 - p) * log2(1 - p));
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
