package org.covidrisk.ensemble.learn;

/**
 * Platt scaling: p = 1 / (1 + exp(a·f + b)) fitted to decision values f by Newton's method with Platt's
 * smoothed targets (Lin, Lin and Weng 2007). Written here because it is twenty lines and no library on the
 * classpath exposes it for a plain array of scores.
 *
 * @param a slope (negative when larger scores mean death)
 * @param b offset
 */
public record Platt(double a, double b) {

    public double probability(double f) {
        double z = a * f + b;
        return z >= 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
    }

    /** Fits a and b to decision values and outcomes. */
    public static Platt fit(double[] f, boolean[] died) {
        int pos = 0;
        for (boolean d : died) {
            pos += d ? 1 : 0;
        }
        int neg = died.length - pos;
        double hi = (pos + 1.0) / (pos + 2.0);
        double lo = 1.0 / (neg + 2.0);
        double a = 0;
        double b = Math.log((neg + 1.0) / (pos + 1.0));
        for (int it = 0; it < 100; it++) {
            double g1 = 0;
            double g2 = 0;
            double h11 = 1e-12;
            double h22 = 1e-12;
            double h21 = 0;
            for (int i = 0; i < f.length; i++) {
                double t = died[i] ? hi : lo;
                double z = a * f[i] + b;
                double p = z >= 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
                double q = 1 - p;
                double d2 = p * q;
                h11 += f[i] * f[i] * d2;
                h22 += d2;
                h21 += f[i] * d2;
                double d1 = t - p;
                g1 += f[i] * d1;
                g2 += d1;
            }
            if (Math.abs(g1) < 1e-9 && Math.abs(g2) < 1e-9) {
                break;
            }
            double det = h11 * h22 - h21 * h21;
            double da = -(h22 * g1 - h21 * g2) / det;
            double db = -(-h21 * g1 + h11 * g2) / det;
            a += da;
            b += db;
            if (Math.abs(da) < 1e-10 && Math.abs(db) < 1e-10) {
                break;
            }
        }
        return new Platt(a, b);
    }
}
