package org.covidrisk.ensemble.evaluation;

/**
 * A 60-patient test set drawn once by {@code src/test/resources/org/covidrisk/ensemble/evaluation/
 * sklearn_reference.py} (numpy seed 20240; probabilities on a 0.01 grid, off the 0.05 bin edges, with ties),
 * whose scikit-learn / statsmodels figures the tests compare with.
 */
final class ReferenceData {

    static final double[] P = {0.46, 0.79, 0.53, 0.67, 0.86, 0.58, 0.18, 0.96, 0.03, 0.01, 0.31, 0.34, 0.73, 0.22,
            0.22, 0.42, 0.91, 0.12, 0.33, 0.98, 0.87, 0.31, 0.87, 0.66, 0.39, 0.23, 0.11, 0.54, 0.26, 0.36, 0.74,
            0.66, 0.22, 0.02, 0.17, 0.57, 0.16, 0.26, 0.47, 0.47, 0.86, 0.61, 0.46, 0.06, 0.08, 0.56, 0.04, 0.04,
            0.29, 0.07, 0.68, 0.19, 0.21, 0.16, 0.01, 0.52, 0.29, 0.04, 0.06, 0.16};

    static final boolean[] DIED = {false, true, true, true, true, true, true, true, false, false, false, false,
            false, false, true, false, true, false, false, true, true, false, true, true, true, false, false, false,
            false, false, true, true, false, false, false, true, true, true, false, true, true, true, true, false,
            false, true, false, false, false, false, true, false, false, false, false, true, true, false, false,
            false};

    private ReferenceData() {
    }
}
