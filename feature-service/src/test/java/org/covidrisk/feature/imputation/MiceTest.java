package org.covidrisk.feature.imputation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class MiceTest {

    static final List<Column> XY = List.of(new Column("x", ColumnKind.CONTINUOUS),
            new Column("y", ColumnKind.CONTINUOUS));

    /** y = 2x + e, x missing at random given y (more often when y is high), about 30 %. */
    static double[][] planted(int n, long seed, double[][] truth) {
        Random r = new Random(seed);
        double[][] data = new double[n][2];
        for (int i = 0; i < n; i++) {
            double x = r.nextGaussian();
            double y = 2 * x + r.nextGaussian();
            truth[i] = new double[]{x, y};
            boolean miss = r.nextDouble() < 1 / (1 + Math.exp(-(-2.0 + 1.5 * y)));
            data[i] = new double[]{miss ? Double.NaN : x, y};
        }
        return data;
    }

    /** Slope of y on x and its squared standard error. */
    static double[] slope(double[][] rows) {
        int n = rows.length;
        double mx = Arrays.stream(rows).mapToDouble(r -> r[0]).average().orElseThrow();
        double my = Arrays.stream(rows).mapToDouble(r -> r[1]).average().orElseThrow();
        double sxx = 0;
        double sxy = 0;
        for (double[] r : rows) {
            sxx += (r[0] - mx) * (r[0] - mx);
            sxy += (r[0] - mx) * (r[1] - my);
        }
        double b = sxy / sxx;
        double a = my - b * mx;
        double rss = 0;
        for (double[] r : rows) {
            double e = r[1] - a - b * r[0];
            rss += e * e;
        }
        return new double[]{b, rss / (n - 2) / sxx};
    }

    @Test
    void recoversAPlantedSlopeWhereCompleteCaseAnalysisIsBiased() {
        int n = 2000;
        double[][] truth = new double[n][];
        double[][] data = planted(n, 11, truth);
        long missing = Arrays.stream(data).filter(r -> Double.isNaN(r[0])).count();
        assertTrue(missing > 0.25 * n && missing < 0.35 * n, "about 30 % missing: " + missing);

        MiceResult result = Mice.fit(XY, data, null, new MiceOptions(10, 10, 42, 5, 2000, 5));
        double[] q = new double[10];
        double[] u = new double[10];
        double meanX = 0;
        for (int c = 0; c < 10; c++) {
            double[] s = slope(result.completed()[c]);
            q[c] = s[0];
            u[c] = s[1];
            meanX += Arrays.stream(result.completed()[c]).mapToDouble(r -> r[0]).average().orElseThrow() / 10;
        }
        RubinsRules.Pooled pooled = RubinsRules.pool(q, u, n - 2);
        double[][] complete = Arrays.stream(data).filter(r -> !Double.isNaN(r[0])).toArray(double[][]::new);
        double ccSlope = slope(complete)[0];
        double ccMeanX = Arrays.stream(complete).mapToDouble(r -> r[0]).average().orElseThrow();
        System.out.printf("planted slope 2: MICE pooled %.4f (se %.4f, df %.1f, fmi %.3f), complete cases %.4f;"
                + " mean x 0: MICE %.4f, complete cases %.4f%n", pooled.estimate(), pooled.standardError(),
                pooled.df(), pooled.fmi(), ccSlope, meanX, ccMeanX);

        assertEquals(2.0, pooled.estimate(), 0.1, "pooled slope");
        // predictive mean matching is slightly biased here (donors are sparse where the missing x lie: +0.04 on
        // average over data seeds 1-6), still far less than complete-case analysis
        assertTrue(Math.abs(pooled.estimate() - 2) < Math.abs(ccSlope - 2) / 2, "much closer than complete cases");
        assertTrue(pooled.between() > 0, "the imputations differ: their spread enters the variance");
        assertTrue(ccSlope < 1.85, "complete cases select on y and attenuate the slope: " + ccSlope);
        assertEquals(0.0, meanX, 0.08, "mean of x");
        assertTrue(ccMeanX < -0.3, "complete cases miss the high-x patients: " + ccMeanX);
        // observed cells are never changed
        for (int i = 0; i < n; i++) {
            if (!Double.isNaN(data[i][0])) {
                assertEquals(data[i][0], result.completed()[3][i][0]);
            }
            assertEquals(Double.isNaN(data[i][0]), result.missing()[i][0]);
        }
        // predictive mean matching imputes only values somebody was observed with
        double[] observedX = Arrays.stream(complete).mapToDouble(r -> r[0]).sorted().toArray();
        for (double[] row : result.completed()[0]) {
            assertTrue(Arrays.binarySearch(observedX, row[0]) >= 0);
        }
    }

    @Test
    void binaryAndCategoricalVariablesAreImputedFromTheirPredictors() {
        Random r = new Random(5);
        int n = 3000;
        double[][] data = new double[n][];
        double[][] truth = new double[n][];
        for (int i = 0; i < n; i++) {
            double x = r.nextGaussian();
            double b = r.nextDouble() < 1 / (1 + Math.exp(-3 * x)) ? 1 : 0;
            double c = x < -0.5 ? 4 : x > 0.5 ? 12 : 9; // category codes need not be 0..K-1
            if (r.nextDouble() < 0.1) {
                c = new double[]{4, 9, 12}[r.nextInt(3)];
            }
            truth[i] = new double[]{x, b, c};
            data[i] = new double[]{x, r.nextDouble() < 0.3 ? Double.NaN : b, r.nextDouble() < 0.3 ? Double.NaN : c};
        }
        List<Column> cols = List.of(new Column("x", ColumnKind.CONTINUOUS), new Column("b", ColumnKind.BINARY),
                new Column("c", ColumnKind.CATEGORICAL));
        MiceResult res = Mice.fit(cols, data, null, MiceOptions.defaults(3));
        int[] agree = new int[3];
        int[] masked = new int[3];
        double[][] share = new double[2][3]; // imputed vs true shares of categories 4, 9, 12 among masked cells
        for (double[][] completed : res.completed()) {
            for (int i = 0; i < n; i++) {
                for (int k = 1; k <= 2; k++) {
                    if (Double.isNaN(data[i][k])) {
                        masked[k]++;
                        agree[k] += completed[i][k] == truth[i][k] ? 1 : 0;
                    }
                }
                if (Double.isNaN(data[i][2])) {
                    int imputed = Arrays.binarySearch(new double[]{4, 9, 12}, completed[i][2]);
                    assertTrue(imputed >= 0, "imputed category is one of the observed levels");
                    share[0][imputed]++;
                    share[1][Arrays.binarySearch(new double[]{4, 9, 12}, truth[i][2])]++;
                }
            }
        }
        double binaryAgreement = (double) agree[1] / masked[1];
        double categoryAgreement = (double) agree[2] / masked[2];
        System.out.printf("binary agreement %.3f, categorical agreement %.3f%n", binaryAgreement, categoryAgreement);
        // a draw from P(b | x) with slope 3 agrees with the truth well above chance (0.5), below certainty
        assertTrue(binaryAgreement > 0.7 && binaryAgreement < 0.95, "binary " + binaryAgreement);
        assertTrue(categoryAgreement > 0.65, "categorical " + categoryAgreement);
        for (int l = 0; l < 3; l++) {
            assertEquals(share[1][l] / masked[2], share[0][l] / masked[2], 0.04, "share of category " + l);
        }
    }

    @Test
    void theOutcomeIsAPredictorAtTrainingOnly() {
        Random r = new Random(9);
        int n = 2000;
        double[][] data = new double[n][];
        double[] died = new double[n];
        double[] trueX = new double[n];
        for (int i = 0; i < n; i++) {
            double x = r.nextGaussian();
            trueX[i] = x;
            died[i] = r.nextDouble() < 1 / (1 + Math.exp(-2 * x)) ? 1 : 0;
            data[i] = new double[]{r.nextDouble() < 0.4 ? Double.NaN : x, r.nextGaussian()};
        }
        List<Column> cols = List.of(new Column("x", ColumnKind.CONTINUOUS), new Column("noise", ColumnKind.CONTINUOUS));
        double with = imputedCorrelation(Mice.fit(cols, data, died, MiceOptions.defaults(1)), data, died);
        double without = imputedCorrelation(Mice.fit(cols, data, null, MiceOptions.defaults(1)), data, died);
        double truth = correlation(trueX, died);
        System.out.printf("corr(x, died): truth %.3f, imputed cells with outcome %.3f, without %.3f%n", truth, with,
                without);
        assertEquals(truth, with, 0.1, "with the outcome the imputed x keeps its association with death");
        assertEquals(0.0, without, 0.08, "without it the association of imputed cells is lost");
    }

    private static double imputedCorrelation(MiceResult res, double[][] data, double[] died) {
        double sum = 0;
        for (double[][] completed : res.completed()) {
            int[] rows = java.util.stream.IntStream.range(0, data.length).filter(i -> Double.isNaN(data[i][0]))
                    .toArray();
            sum += correlation(Arrays.stream(rows).mapToDouble(i -> completed[i][0]).toArray(),
                    Arrays.stream(rows).mapToDouble(i -> died[i]).toArray());
        }
        return sum / res.completed().length;
    }

    static double correlation(double[] a, double[] b) {
        double ma = Arrays.stream(a).average().orElseThrow();
        double mb = Arrays.stream(b).average().orElseThrow();
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    @Test
    void aFittedImputerScoresANewPatientWithoutTheOutcome() {
        Random r = new Random(2);
        int n = 1500;
        double[][] data = new double[n][];
        double[] died = new double[n];
        for (int i = 0; i < n; i++) {
            double x = r.nextGaussian();
            double z = x + 0.3 * r.nextGaussian();
            died[i] = r.nextDouble() < 1 / (1 + Math.exp(-x)) ? 1 : 0;
            data[i] = new double[]{r.nextDouble() < 0.2 ? Double.NaN : x, z};
        }
        List<Column> cols = List.of(new Column("x", ColumnKind.CONTINUOUS), new Column("z", ColumnKind.CONTINUOUS));
        FittedImputer imputer = Mice.fit(cols, data, died, MiceOptions.defaults(4)).imputer();
        // the API takes no outcome: a new patient is imputed from the other inputs alone
        double[][][] out = imputer.impute(new double[][]{{Double.NaN, 2.0}, {1.5, Double.NaN}, {0.25, -0.5}}, 8);
        assertEquals(10, out.length);
        double x0 = Arrays.stream(out).mapToDouble(c -> c[0][0]).average().orElseThrow();
        double z1 = Arrays.stream(out).mapToDouble(c -> c[1][1]).average().orElseThrow();
        // E[x | z = 2] = 2 / (1 + 0.09) = 1.83; E[z | x = 1.5] = 1.5 (z had no missing value in training)
        assertEquals(1.83, x0, 0.35);
        assertEquals(1.5, z1, 0.35);
        for (double[][] c : out) {
            assertEquals(2.0, c[0][1]);
            assertEquals(1.5, c[1][0]);
            assertArrayEquals(new double[]{0.25, -0.5}, c[2], "a complete row is returned unchanged");
        }
        assertThrows(IllegalArgumentException.class, () -> imputer.impute(new double[][]{{1.0}}, 1));
    }

    @Test
    void sameSeedSameImputationsOtherSeedOthers() {
        double[][] truth = new double[500][];
        double[][] data = planted(500, 3, truth);
        MiceResult a = Mice.fit(XY, data, null, MiceOptions.defaults(77));
        MiceResult b = Mice.fit(XY, data, null, MiceOptions.defaults(77));
        MiceResult c = Mice.fit(XY, data, null, MiceOptions.defaults(78));
        assertTrue(Arrays.deepEquals(a.completed(), b.completed()));
        assertFalse(Arrays.deepEquals(a.completed(), c.completed()));
        assertFalse(Arrays.deepEquals(a.completed()[0], a.completed()[1]), "chains differ from each other");
        double[][] row = {{Double.NaN, 1.0}};
        assertTrue(Arrays.deepEquals(a.imputer().impute(row, 5), b.imputer().impute(row, 5)));
    }

    @Test
    void aColumnNeverObservedBecomesZeroAndAMissingOutcomeIsRefused() {
        // an analyte the hospital never measures (x) and a never-recorded yes/no item (b), next to an observed z
        Random r = new Random(4);
        double[][] data = new double[200][];
        for (int i = 0; i < data.length; i++) {
            data[i] = new double[]{Double.NaN, r.nextDouble() < 0.1 ? Double.NaN : r.nextGaussian(), Double.NaN};
        }
        List<Column> cols = List.of(new Column("x", ColumnKind.CONTINUOUS), new Column("z", ColumnKind.CONTINUOUS),
                new Column("b", ColumnKind.BINARY));
        MiceResult fit = Mice.fit(cols, data, null, MiceOptions.defaults(1));
        for (double[][] chain : fit.completed()) {
            for (double[] row : chain) {
                assertEquals(0.0, row[0]);
                assertEquals(0.0, row[2]);
                assertFalse(Double.isNaN(row[1]));
            }
        }
        assertTrue(fit.missing()[0][0] && fit.missing()[0][2], "still reported as imputed");
        // a new patient: the never-observed inputs are imputed as 0 when missing and kept when given
        double[][][] out = fit.imputer().impute(new double[][]{{Double.NaN, 0.5, Double.NaN}, {3.0, 0.5, 1}}, 3);
        for (double[][] c : out) {
            assertArrayEquals(new double[]{0, 0.5, 0}, c[0]);
            assertArrayEquals(new double[]{3.0, 0.5, 1}, c[1]);
        }
        assertThrows(IllegalArgumentException.class, () -> Mice.fit(XY, new double[][]{{1, 1}, {2, 2}},
                new double[]{0, Double.NaN}, MiceOptions.defaults(1)));
    }
}
