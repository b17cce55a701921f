package org.covidrisk.feature.imputation;

import java.util.Random;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * The few dense operations the imputation models need, on top of Commons Math's Cholesky factorisation: solving
 * a symmetric positive-definite system and drawing from N(0, A^-1).
 */
final class LinearAlgebra {

    private LinearAlgebra() {
    }

    /** Cholesky factor of a symmetric positive-definite matrix, with a jitter on the diagonal if it is not. */
    static CholeskyDecomposition cholesky(double[][] a) {
        double jitter = 0;
        for (int attempt = 0; attempt < 8; attempt++) {
            RealMatrix m = new Array2DRowRealMatrix(a, true);
            if (jitter > 0) {
                for (int i = 0; i < a.length; i++) {
                    m.addToEntry(i, i, jitter);
                }
            }
            try {
                return new CholeskyDecomposition(m, 1e-12, 1e-14);
            } catch (org.apache.commons.math3.exception.MathArithmeticException e) {
                jitter = jitter == 0 ? 1e-8 * Math.max(1, trace(a) / a.length) : jitter * 100;
            }
        }
        throw new IllegalStateException("imputation model matrix is not positive definite");
    }

    static double[] solve(CholeskyDecomposition c, double[] b) {
        return c.getSolver().solve(new org.apache.commons.math3.linear.ArrayRealVector(b, false)).toArray();
    }

    /**
     * A draw from N(0, A^-1) given A = L L^T: solves L^T x = z for standard normal z, so x has covariance
     * (L L^T)^-1.
     */
    static double[] drawInverse(CholeskyDecomposition c, Random rng) {
        RealMatrix lt = c.getLT();
        int n = lt.getRowDimension();
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            z[i] = rng.nextGaussian();
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = z[i];
            for (int j = i + 1; j < n; j++) {
                s -= lt.getEntry(i, j) * x[j];
            }
            x[i] = s / lt.getEntry(i, i);
        }
        return x;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double trace(double[][] a) {
        double t = 0;
        for (int i = 0; i < a.length; i++) {
            t += Math.abs(a[i][i]);
        }
        return t;
    }
}
