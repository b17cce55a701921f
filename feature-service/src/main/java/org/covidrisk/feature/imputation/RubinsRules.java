package org.covidrisk.feature.imputation;

/**
 * Rubin's rules (Rubin 1987; van Buuren 2018, section 2.3) for pooling one scalar estimate over m imputed data
 * sets, with the Barnard-Rubin (1999) small-sample degrees of freedom when the complete-data degrees of freedom
 * are known.
 */
public final class RubinsRules {

    private RubinsRules() {
    }

    /**
     * A pooled estimate.
     *
     * @param estimate Q-bar, the mean of the m estimates
     * @param within U-bar, the mean of the m squared standard errors
     * @param between B, the sample variance of the m estimates
     * @param total T = U-bar + (1 + 1/m) B
     * @param df degrees of freedom for a t reference distribution
     * @param relativeIncrease r = (1 + 1/m) B / U-bar, the relative increase in variance due to nonresponse
     * @param lambda (1 + 1/m) B / T, the proportion of the variance due to the missing data
     * @param fmi fraction of missing information, (r + 2 / (df + 3)) / (r + 1)
     */
    public record Pooled(double estimate, double within, double between, double total, double df,
            double relativeIncrease, double lambda, double fmi) {

        public double standardError() {
            return Math.sqrt(total);
        }
    }

    /**
     * Pools m estimates and their variances (squared standard errors).
     *
     * @param dfComplete degrees of freedom of the complete-data analysis (n - parameters), or
     *        {@link Double#POSITIVE_INFINITY} for Rubin's original large-sample degrees of freedom
     */
    public static Pooled pool(double[] estimates, double[] variances, double dfComplete) {
        int m = estimates.length;
        if (m < 2 || variances.length != m) {
            throw new IllegalArgumentException("pooling needs at least 2 estimates with one variance each");
        }
        double qbar = 0;
        double ubar = 0;
        for (int i = 0; i < m; i++) {
            qbar += estimates[i];
            ubar += variances[i];
        }
        qbar /= m;
        ubar /= m;
        double b = 0;
        for (double q : estimates) {
            b += (q - qbar) * (q - qbar);
        }
        b /= m - 1;
        double inflation = (1 + 1.0 / m) * b;
        double t = ubar + inflation;
        double lambda = t > 0 ? inflation / t : 0;
        double r = ubar > 0 ? inflation / ubar : Double.POSITIVE_INFINITY;
        double dfOld = lambda > 0 ? (m - 1) / (lambda * lambda) : Double.POSITIVE_INFINITY;
        double df = dfOld;
        if (Double.isFinite(dfComplete)) {
            double dfObs = (dfComplete + 1) / (dfComplete + 3) * dfComplete * (1 - lambda);
            df = Double.isInfinite(dfOld) ? dfObs : dfOld * dfObs / (dfOld + dfObs);
        }
        double fmi = Double.isInfinite(df) ? r / (r + 1) : (r + 2 / (df + 3)) / (r + 1);
        return new Pooled(qbar, ubar, b, t, df, r, lambda, fmi);
    }
}
