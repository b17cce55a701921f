package org.covidrisk.feature.imputation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import org.apache.commons.math3.random.JDKRandomGenerator;

/**
 * Multiple imputation by chained equations (van Buuren and Groothuis-Oudshoorn 2011; stacking paper, "Missing
 * data"): m independent chains; each starts the missing cells with random observed values and then, for a number
 * of iterations, re-imputes every incomplete variable from all the others with a model fitted on its observed
 * rows: predictive mean matching for continuous variables, logistic regression for binary and multinomial
 * logistic regression for categorical ones, coefficients drawn from their posterior so that the m data sets carry
 * the uncertainty of the imputation. At training the outcome is one more predictor of every imputation model
 * (leaving it out biases its association with imputed variables towards zero); the returned
 * {@link FittedImputer} is refitted without it, because a new patient's outcome is what is being predicted.
 * <p>
 * Written here because no maintained JVM library does this: a search of the documentation corpus found MICE in R
 * ({@code mice}, GPL, not usable here) and Python (statsmodels, scikit-learn's IterativeImputer), nothing for the
 * JVM; Tribuo, Smile (GPL since 3.0) and Weka (GPL) offer only single mean/kNN/SVD imputation. Commons Math 3.6.1
 * (Apache-2.0) provides the Cholesky factorisation and chi-squared draws.
 */
public final class Mice {

    /**
     * Categorical variables with more levels than this (a state among 32) are imputed from their observed
     * distribution instead of a multinomial model: Newton on 31 x (design width) coefficients costs minutes per
     * visit on a national cohort, and a patient's state is hardly predicted by comorbidities anyway.
     */
    public static final int MAX_MODELLED_LEVELS = 12;

    private Mice() {
    }

    /**
     * Imputes a training frame.
     *
     * @param columns the variables, in the frame's column order
     * @param data rows x columns, NaN where missing; not modified
     * @param outcome 0/1 outcome of each row used as a predictor (training only), or null
     */
    public static MiceResult fit(List<Column> columns, double[][] given, double[] outcome, MiceOptions options) {
        int n = given.length;
        int p = columns.size();
        if (n < 2) {
            throw new IllegalArgumentException("MICE needs at least 2 rows");
        }
        for (int i = 0; i < n; i++) {
            if (given[i].length != p) {
                throw new IllegalArgumentException("row " + i + " has " + given[i].length + " values, expected " + p);
            }
        }
        // a variable never observed in these rows (an analyte a hospital does not measure) carries no information:
        // it becomes the constant 0 (still reported as imputed), so the learner gets nothing from it and a new
        // patient's missing value of it is imputed as 0; an observed value of it is kept at scoring
        final double[][] data = withNeverObservedAsZero(given, p);
        if (outcome != null) {
            if (outcome.length != n) {
                throw new IllegalArgumentException("outcome has " + outcome.length + " values for " + n + " rows");
            }
            for (double y : outcome) {
                if (Double.isNaN(y)) {
                    throw new IllegalArgumentException("the outcome must not be missing");
                }
            }
        }
        Column[] cols = columns.toArray(Column[]::new);
        Encoding enc = Encoding.of(cols, data);
        boolean[][] missing = new boolean[n][p];
        int[][] observedRows = new int[p][];
        int[][] missingRows = new int[p][];
        List<Integer> incomplete = new ArrayList<>();
        for (int k = 0; k < p; k++) {
            final int col = k;
            observedRows[k] = IntStream.range(0, n).filter(i -> !Double.isNaN(data[i][col])).toArray();
            missingRows[k] = IntStream.range(0, n).filter(i -> Double.isNaN(data[i][col])).toArray();
            for (int i = 0; i < n; i++) {
                missing[i][k] = Double.isNaN(given[i][k]);
            }
            if (missingRows[k].length > 0) {
                incomplete.add(k);
            }
        }
        double[] start = new double[p];
        for (int k = 0; k < p; k++) {
            start[k] = enc.startValue(k, data);
        }
        int m = options.imputations();
        double[][][] completed = new double[m][][];
        ColumnModel[][] models = new ColumnModel[m][];
        // chains are independent and each has its own generator: parallel and still deterministic per seed
        IntStream.range(0, m).parallel().forEach(c -> {
            JDKRandomGenerator rng = new JDKRandomGenerator();
            rng.setSeed(chainSeed(options.seed(), c));
            double[][] x = new double[n][];
            for (int i = 0; i < n; i++) {
                x[i] = data[i].clone();
            }
            for (int k : incomplete) {
                int[] obs = observedRows[k];
                for (int i : missingRows[k]) {
                    x[i][k] = data[obs[rng.nextInt(obs.length)]][k];
                }
            }
            for (int it = 0; it < options.iterations(); it++) {
                for (int k : incomplete) {
                    imputeColumn(enc, x, k, observedRows[k], missingRows[k], outcome, options, rng);
                }
            }
            ColumnModel[] chain = new ColumnModel[p];
            for (int k = 0; k < p; k++) {
                chain[k] = scoringModel(enc, x, data, k, observedRows[k], options);
            }
            completed[c] = x;
            models[c] = chain;
        });
        return new MiceResult(completed, missing, new FittedImputer(columns, enc, start, models, options));
    }

    /** The rows themselves, or a copy where every column without an observed value is 0. */
    private static double[][] withNeverObservedAsZero(double[][] given, int p) {
        boolean[] never = new boolean[p];
        boolean any = false;
        for (int k = 0; k < p; k++) {
            final int col = k;
            never[k] = Arrays.stream(given).allMatch(r -> Double.isNaN(r[col]));
            any |= never[k];
        }
        if (!any) {
            return given;
        }
        double[][] out = new double[given.length][];
        for (int i = 0; i < given.length; i++) {
            out[i] = given[i].clone();
            for (int k = 0; k < p; k++) {
                if (never[k]) {
                    out[i][k] = 0;
                }
            }
        }
        return out;
    }

    /** Seed of chain c: a SplitMix64 step, so neighbouring seeds and chains give unrelated streams. */
    static long chainSeed(long seed, int chain) {
        long z = seed + 0x9E3779B97F4A7C15L * (chain + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static double[][] designs(Encoding enc, double[][] x, int[] rows, int target, double[] outcome) {
        int q = enc.designWidth(target, outcome != null);
        double[][] d = new double[rows.length][q];
        for (int r = 0; r < rows.length; r++) {
            int i = rows[r];
            enc.design(x[i], target, outcome != null ? outcome[i] : Double.NaN, d[r]);
        }
        return d;
    }

    private static void imputeColumn(Encoding enc, double[][] x, int k, int[] obs, int[] mis, double[] outcome,
            MiceOptions options, JDKRandomGenerator rng) {
        double[][] dObs = designs(enc, x, obs, k, outcome);
        double[][] dMis = designs(enc, x, mis, k, outcome);
        if (enc.columns[k].kind() == ColumnKind.CONTINUOUS) {
            double[] y = new double[obs.length];
            for (int r = 0; r < obs.length; r++) {
                y[r] = x[obs[r]][k];
            }
            LinearFit fit = LinearFit.fit(dObs, y, rng, true);
            // type-1 matching: observed rows predicted with the estimate, missing rows with the draw
            Integer[] order = new Integer[obs.length];
            double[] pred = new double[obs.length];
            for (int r = 0; r < obs.length; r++) {
                order[r] = r;
                pred[r] = LinearAlgebra.dot(fit.estimate, dObs[r]);
            }
            Arrays.sort(order, (a, b) -> Double.compare(pred[a], pred[b]));
            double[] sortedPred = new double[obs.length];
            double[] sortedVal = new double[obs.length];
            for (int r = 0; r < obs.length; r++) {
                sortedPred[r] = pred[order[r]];
                sortedVal[r] = y[order[r]];
            }
            for (int r = 0; r < mis.length; r++) {
                double target = LinearAlgebra.dot(fit.draw, dMis[r]);
                x[mis[r]][k] = sortedVal[ColumnModel.Pmm.match(sortedPred, target, options.donors(), rng)];
            }
        } else {
            double[] levels = enc.levels[k];
            if (levels.length == 1) {
                for (int i : mis) {
                    x[i][k] = levels[0];
                }
                return;
            }
            if (levels.length > MAX_MODELLED_LEVELS) {
                for (int i : mis) {
                    x[i][k] = x[obs[rng.nextInt(obs.length)]][k];
                }
                return;
            }
            int[] y = new int[obs.length];
            for (int r = 0; r < obs.length; r++) {
                y[r] = enc.levelIndex(k, x[obs[r]][k]);
            }
            MultinomialFit fit = MultinomialFit.fit(dObs, y, levels.length, rng, true);
            double[] prob = new double[levels.length];
            for (int r = 0; r < mis.length; r++) {
                MultinomialFit.probabilities(fit.draw, dMis[r], prob);
                x[mis[r]][k] = levels[MultinomialFit.sample(prob, rng)];
            }
        }
    }

    /** The model of variable k for new patients: fitted on the completed chain, observed rows of k, no outcome. */
    private static ColumnModel scoringModel(Encoding enc, double[][] x, double[][] data, int k, int[] obs,
            MiceOptions options) {
        double[][] d = designs(enc, x, obs, k, null);
        if (enc.columns[k].kind() == ColumnKind.CONTINUOUS) {
            double[] y = new double[obs.length];
            for (int r = 0; r < obs.length; r++) {
                y[r] = data[obs[r]][k];
            }
            LinearFit fit = LinearFit.fit(d, y, null, false);
            Integer[] order = new Integer[obs.length];
            double[] pred = new double[obs.length];
            for (int r = 0; r < obs.length; r++) {
                order[r] = r;
                pred[r] = LinearAlgebra.dot(fit.estimate, d[r]);
            }
            Arrays.sort(order, (a, b) -> Double.compare(pred[a], pred[b]));
            int keep = Math.min(obs.length, options.maxStoredDonors());
            double[] dp = new double[keep];
            double[] dv = new double[keep];
            for (int t = 0; t < keep; t++) {
                // evenly thinned along the predicted mean: the donor pool keeps its shape
                int r = keep == 1 ? 0 : (int) Math.round((double) t * (obs.length - 1) / (keep - 1));
                dp[t] = pred[order[r]];
                dv[t] = y[order[r]];
            }
            return new ColumnModel.Pmm(fit.estimate, dp, dv);
        }
        double[] levels = enc.levels[k];
        if (levels.length == 1) {
            return new ColumnModel.Logistic(levels, new double[0][]);
        }
        int[] y = new int[obs.length];
        for (int r = 0; r < obs.length; r++) {
            y[r] = enc.levelIndex(k, data[obs[r]][k]);
        }
        if (levels.length > MAX_MODELLED_LEVELS) {
            // the observed distribution as a model with intercepts only: log(n_k / n_0)
            double[] count = new double[levels.length];
            for (int c : y) {
                count[c]++;
            }
            double[][] beta = new double[levels.length - 1][d[0].length];
            for (int c = 1; c < levels.length; c++) {
                beta[c - 1][0] = Math.log(count[c] / count[0]);
            }
            return new ColumnModel.Logistic(levels, beta);
        }
        return new ColumnModel.Logistic(levels, MultinomialFit.fit(d, y, levels.length, null, false).estimate);
    }
}
