package org.covidrisk.feature.imputation;

import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.random.JDKRandomGenerator;

/**
 * Multinomial logistic regression by Newton-Raphson with a small ridge penalty (which keeps the estimate finite
 * under separation, common with rare comorbidities), class 0 as reference. Two classes make it the logistic model
 * of the MICE "logreg" step; more make it "polyreg". For a proper imputation the coefficients are then drawn from
 * their approximate posterior N(estimate, H^-1), H the penalised observed information, as mice's logreg does.
 */
final class MultinomialFit {

    /** Ridge penalty on every coefficient: negligible against the information of a few hundred rows. */
    static final double PENALTY = 1e-2;
    static final int MAX_ITERATIONS = 30;

    final int classes;
    /** (classes - 1) x q coefficients, estimate. */
    final double[][] estimate;
    /** Drawn coefficients; the estimate when no draw was asked for. */
    final double[][] draw;

    private MultinomialFit(int classes, double[][] estimate, double[][] draw) {
        this.classes = classes;
        this.estimate = estimate;
        this.draw = draw;
    }

    /**
     * @param y class index 0..classes-1 of each row
     */
    static MultinomialFit fit(double[][] x, int[] y, int classes, JDKRandomGenerator rng, boolean withDraw) {
        int n = x.length;
        int q = x[0].length;
        int k1 = classes - 1;
        int dim = k1 * q;
        double[] theta = new double[dim];
        CholeskyDecomposition c = null;
        double[] p = new double[classes];
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            double[][] h = new double[dim][dim];
            double[] g = new double[dim];
            for (int i = 0; i < n; i++) {
                double[] r = x[i];
                probabilities(theta, q, r, p);
                for (int k = 0; k < k1; k++) {
                    double res = (y[i] == k + 1 ? 1 : 0) - p[k + 1];
                    for (int a = 0; a < q; a++) {
                        g[k * q + a] += res * r[a];
                    }
                    for (int l = k; l < k1; l++) {
                        double w = p[k + 1] * ((k == l ? 1 : 0) - p[l + 1]);
                        if (w == 0) {
                            continue;
                        }
                        for (int a = 0; a < q; a++) {
                            double wa = w * r[a];
                            if (wa == 0) {
                                continue;
                            }
                            int ra = k * q + a;
                            for (int b = (k == l ? a : 0); b < q; b++) {
                                h[ra][l * q + b] += wa * r[b];
                            }
                        }
                    }
                }
            }
            for (int a = 0; a < dim; a++) {
                g[a] -= PENALTY * theta[a];
                h[a][a] += PENALTY;
                for (int b = 0; b < a; b++) {
                    h[a][b] = h[b][a];
                }
            }
            c = LinearAlgebra.cholesky(h);
            double[] step = LinearAlgebra.solve(c, g);
            double max = 0;
            for (double s : step) {
                max = Math.max(max, Math.abs(s));
            }
            // damped step: a far Newton step on nearly separated data overshoots
            double scale = max > 5 ? 5 / max : 1;
            for (int a = 0; a < dim; a++) {
                theta[a] += scale * step[a];
            }
            if (max < 1e-7) {
                break;
            }
        }
        double[][] est = unflatten(theta, k1, q);
        if (!withDraw) {
            return new MultinomialFit(classes, est, est);
        }
        double[] z = LinearAlgebra.drawInverse(c, rng);
        double[] drawn = theta.clone();
        for (int a = 0; a < dim; a++) {
            drawn[a] += z[a];
        }
        return new MultinomialFit(classes, est, unflatten(drawn, k1, q));
    }

    /** Class probabilities for one design row under coefficients {@code beta} ((classes - 1) x q). */
    static void probabilities(double[][] beta, double[] r, double[] out) {
        double max = 0;
        out[0] = 0;
        for (int k = 0; k < beta.length; k++) {
            out[k + 1] = LinearAlgebra.dot(beta[k], r);
            max = Math.max(max, out[k + 1]);
        }
        normalise(out, max);
    }

    private static void probabilities(double[] theta, int q, double[] r, double[] out) {
        double max = 0;
        out[0] = 0;
        for (int k = 1; k < out.length; k++) {
            double s = 0;
            int off = (k - 1) * q;
            for (int a = 0; a < q; a++) {
                s += theta[off + a] * r[a];
            }
            out[k] = s;
            max = Math.max(max, s);
        }
        normalise(out, max);
    }

    private static void normalise(double[] eta, double max) {
        double sum = 0;
        for (int k = 0; k < eta.length; k++) {
            eta[k] = Math.exp(eta[k] - max);
            sum += eta[k];
        }
        for (int k = 0; k < eta.length; k++) {
            eta[k] /= sum;
        }
    }

    /** Draws a class index from probabilities. */
    static int sample(double[] p, java.util.Random rng) {
        double u = rng.nextDouble();
        double acc = 0;
        for (int k = 0; k < p.length; k++) {
            acc += p[k];
            if (u < acc) {
                return k;
            }
        }
        return p.length - 1;
    }

    private static double[][] unflatten(double[] theta, int k1, int q) {
        double[][] out = new double[k1][q];
        for (int k = 0; k < k1; k++) {
            System.arraycopy(theta, k * q, out[k], 0, q);
        }
        return out;
    }
}
