package org.covidrisk.feature.imputation;

import java.util.Random;

import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.random.JDKRandomGenerator;

/**
 * Bayesian linear regression of the MICE "norm.draw" step (van Buuren 2018, Algorithm 3.1): least squares with a
 * small ridge (so that a constant or collinear predictor does not break the fit), then a draw of the residual
 * variance from its scaled inverse chi-squared posterior and of the coefficients from N(beta, sigma^2 (X'X)^-1).
 * Predictive mean matching matches the observed rows' predictions under the estimate against the missing rows'
 * predictions under the draw (type-1 matching).
 */
final class LinearFit {

    /** Relative ridge added to the diagonal of X'X, as mice does (1e-5). */
    static final double RIDGE = 1e-5;

    final double[] estimate;
    /** Coefficients drawn from their posterior; equal to the estimate when no draw was asked for. */
    final double[] draw;

    private LinearFit(double[] estimate, double[] draw) {
        this.estimate = estimate;
        this.draw = draw;
    }

    static LinearFit fit(double[][] x, double[] y, JDKRandomGenerator rng, boolean withDraw) {
        int n = x.length;
        int q = x[0].length;
        double[][] xtx = new double[q][q];
        double[] xty = new double[q];
        for (int i = 0; i < n; i++) {
            double[] r = x[i];
            for (int a = 0; a < q; a++) {
                double ra = r[a];
                if (ra == 0) {
                    continue;
                }
                xty[a] += ra * y[i];
                for (int b = a; b < q; b++) {
                    xtx[a][b] += ra * r[b];
                }
            }
        }
        for (int a = 0; a < q; a++) {
            for (int b = 0; b < a; b++) {
                xtx[a][b] = xtx[b][a];
            }
            xtx[a][a] += RIDGE * xtx[a][a] + 1e-10;
        }
        CholeskyDecomposition c = LinearAlgebra.cholesky(xtx);
        double[] beta = LinearAlgebra.solve(c, xty);
        if (!withDraw) {
            return new LinearFit(beta, beta);
        }
        double rss = 0;
        for (int i = 0; i < n; i++) {
            double e = y[i] - LinearAlgebra.dot(x[i], beta);
            rss += e * e;
        }
        int df = Math.max(1, n - q);
        double chi = new ChiSquaredDistribution(rng, df).sample();
        double sigma = Math.sqrt(rss / Math.max(chi, 1e-12));
        double[] z = LinearAlgebra.drawInverse(c, (Random) rng);
        double[] drawn = new double[q];
        for (int a = 0; a < q; a++) {
            drawn[a] = beta[a] + sigma * z[a];
        }
        return new LinearFit(beta, drawn);
    }
}
