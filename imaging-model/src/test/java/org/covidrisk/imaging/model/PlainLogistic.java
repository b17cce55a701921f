package org.covidrisk.imaging.model;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Test-only second layer: logistic regression by Newton's method on standardised inputs with an L2 penalty on the
 * slopes (none on the intercept); a missing value is filled with the training median of its column. The served
 * second layer (ensemble-service's {@code XraySecondLayer}) is not reachable from this module.
 */
final class PlainLogistic implements SecondLayerFitter {

    private final double ridge;

    PlainLogistic(double ridge) {
        this.ridge = ridge;
    }

    @Override
    public ToDoubleFunction<double[]> fit(List<String> names, List<double[]> rows, boolean[] died) {
        int d = names.size();
        int n = rows.size();
        double[] fill = new double[d];
        double[] mean = new double[d];
        double[] sd = new double[d];
        for (int j = 0; j < d; j++) {
            final int col = j;
            double[] known = rows.stream().mapToDouble(r -> r[col]).filter(v -> !Double.isNaN(v)).sorted().toArray();
            fill[j] = known.length == 0 ? 0 : known[known.length / 2];
            double m = rows.stream().mapToDouble(r -> Double.isNaN(r[col]) ? fill[col] : r[col]).average()
                    .orElse(0);
            double v = rows.stream().mapToDouble(r -> Double.isNaN(r[col]) ? fill[col] : r[col])
                    .map(x -> (x - m) * (x - m)).average().orElse(0);
            mean[j] = m;
            sd[j] = v > 0 ? Math.sqrt(v) : 1;
        }
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            x[i] = design(rows.get(i), fill, mean, sd);
        }
        double[] w = new double[d + 1];
        for (int iter = 0; iter < 100; iter++) {
            double[] g = new double[d + 1];
            double[][] h = new double[d + 1][d + 1];
            for (int i = 0; i < n; i++) {
                double p = sigmoid(dot(w, x[i]));
                double q = p * (1 - p);
                for (int a = 0; a <= d; a++) {
                    g[a] += ((died[i] ? 1 : 0) - p) * x[i][a];
                    for (int b = 0; b <= d; b++) {
                        h[a][b] += q * x[i][a] * x[i][b];
                    }
                }
            }
            for (int a = 0; a <= d; a++) {
                double penalty = a == 0 ? 0 : ridge;
                g[a] -= penalty * w[a];
                h[a][a] += penalty + 1e-12;
            }
            double[] step = solve(h, g);
            double max = 0;
            for (int a = 0; a <= d; a++) {
                w[a] += step[a];
                max = Math.max(max, Math.abs(step[a]));
            }
            if (max < 1e-12) {
                break;
            }
        }
        return row -> sigmoid(dot(w, design(row, fill, mean, sd)));
    }

    private static double[] design(double[] row, double[] fill, double[] mean, double[] sd) {
        double[] x = new double[row.length + 1];
        x[0] = 1;
        for (int j = 0; j < row.length; j++) {
            x[j + 1] = ((Double.isNaN(row[j]) ? fill[j] : row[j]) - mean[j]) / sd[j];
        }
        return x;
    }

    private static double dot(double[] w, double[] x) {
        double s = 0;
        for (int j = 0; j < w.length; j++) {
            s += w[j] * x[j];
        }
        return s;
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** Gaussian elimination with partial pivoting (the matrix is small and positive definite). */
    private static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            m[i] = Arrays.copyOf(a[i], n + 1);
            m[i][n] = b[i];
        }
        for (int c = 0; c < n; c++) {
            int pivot = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) {
                    pivot = r;
                }
            }
            double[] t = m[c];
            m[c] = m[pivot];
            m[pivot] = t;
            for (int r = c + 1; r < n; r++) {
                double f = m[r][c] / m[c][c];
                for (int k = c; k <= n; k++) {
                    m[r][k] -= f * m[c][k];
                }
            }
        }
        double[] out = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = m[r][n];
            for (int k = r + 1; k < n; k++) {
                s -= m[r][k] * out[k];
            }
            out[r] = s / m[r][r];
        }
        return out;
    }
}
