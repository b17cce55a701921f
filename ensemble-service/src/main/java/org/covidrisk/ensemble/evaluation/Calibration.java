package org.covidrisk.ensemble.evaluation;

/**
 * Logistic recalibration of predicted probabilities (Van Calster et al., "Calibration: the Achilles heel of
 * predictive analytics", BMC Medicine 2019), with {@code x = logit(p)} and p clipped to [1e-15, 1 - 1e-15]:
 * <ul>
 * <li>the calibration slope is b in {@code logit P(death) = a + b·x} (1 when calibrated, below 1 when the
 * predictions are too extreme, above 1 when too modest);</li>
 * <li>the calibration intercept is calibration-in-the-large, a in {@code logit P(death) = a + offset(x)} (0 when
 * calibrated, negative when the risks are overestimated on average).</li>
 * </ul>
 * Both are maximum-likelihood fits by Newton-Raphson (IRLS) with step halving. They are written by hand because
 * the only libraries that fit a GLM with an offset (statsmodels, R's glm) have no maintained small Java
 * counterpart, and a one- or two-parameter logistic fit is a few lines. A value is NaN when the maximum
 * likelihood estimate does not exist: one class only, outcomes perfectly separated by the predictions, or all
 * predictions equal (slope only).
 *
 * @param intercept calibration-in-the-large
 * @param slope calibration slope
 */
public record Calibration(double intercept, double slope) {

    static final double EPS = 1e-15;
    private static final int MAX_ITERATIONS = 100;
    private static final double TOLERANCE = 1e-10;

    /** Fits both the calibration intercept and slope. */
    public static Calibration of(double[] p, boolean[] died) {
        BinaryMetrics.check(p, died);
        double[] x = new double[p.length];
        int deaths = 0;
        for (int i = 0; i < p.length; i++) {
            double q = clip(p[i]);
            x[i] = Math.log(q / (1 - q));
            deaths += died[i] ? 1 : 0;
        }
        if (deaths == 0 || deaths == p.length) {
            return new Calibration(Double.NaN, Double.NaN);
        }
        return new Calibration(inTheLarge(x, died), slope(x, died));
    }

    static double clip(double p) {
        return Math.min(1 - EPS, Math.max(EPS, p));
    }

    /** a in logit P = a + x, by one-dimensional Newton-Raphson; the log-likelihood is concave in a. */
    private static double inTheLarge(double[] x, boolean[] died) {
        double a = 0;
        double ll = logLikelihood(x, died, a, 1);
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            double grad = 0;
            double info = 0;
            for (int i = 0; i < x.length; i++) {
                double mu = sigmoid(a + x[i]);
                grad += (died[i] ? 1 : 0) - mu;
                info += mu * (1 - mu);
            }
            if (!(info > 0)) {
                return Double.NaN;
            }
            double step = grad / info;
            double next = a + step;
            double nextLl = logLikelihood(x, died, next, 1);
            for (int h = 0; h < 30 && nextLl < ll; h++) {
                step /= 2;
                next = a + step;
                nextLl = logLikelihood(x, died, next, 1);
            }
            a = next;
            ll = nextLl;
            if (Math.abs(step) < TOLERANCE * (1 + Math.abs(a))) {
                return a;
            }
        }
        return Double.NaN;
    }

    /** b in logit P = a + b·x, by two-parameter Newton-Raphson started from the calibrated point (0, 1). */
    private static double slope(double[] x, boolean[] died) {
        double a = 0;
        double b = 1;
        double ll = logLikelihood(x, died, a, b);
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            double ga = 0;
            double gb = 0;
            double haa = 0;
            double hab = 0;
            double hbb = 0;
            for (int i = 0; i < x.length; i++) {
                double mu = sigmoid(a + b * x[i]);
                double r = (died[i] ? 1 : 0) - mu;
                double w = mu * (1 - mu);
                ga += r;
                gb += r * x[i];
                haa += w;
                hab += w * x[i];
                hbb += w * x[i] * x[i];
            }
            double det = haa * hbb - hab * hab;
            // a singular information matrix: all predictions equal, or the weights underflowed under separation
            if (!(det > 1e-12 * Math.max(1, haa * hbb))) {
                return Double.NaN;
            }
            double da = (hbb * ga - hab * gb) / det;
            double db = (haa * gb - hab * ga) / det;
            double nextLl = logLikelihood(x, died, a + da, b + db);
            for (int h = 0; h < 30 && nextLl < ll; h++) {
                da /= 2;
                db /= 2;
                nextLl = logLikelihood(x, died, a + da, b + db);
            }
            a += da;
            b += db;
            ll = nextLl;
            if (Math.max(Math.abs(da) / (1 + Math.abs(a)), Math.abs(db) / (1 + Math.abs(b))) < TOLERANCE) {
                return b;
            }
        }
        // still moving after 100 Newton steps: the likelihood has no maximum (separation)
        return Double.NaN;
    }

    private static double logLikelihood(double[] x, boolean[] died, double a, double b) {
        double ll = 0;
        for (int i = 0; i < x.length; i++) {
            double eta = a + b * x[i];
            ll += (died[i] ? eta : 0) - softplus(eta);
        }
        return ll;
    }

    /** log(1 + e^eta) without overflow. */
    private static double softplus(double eta) {
        return eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
    }

    private static double sigmoid(double eta) {
        if (eta >= 0) {
            return 1 / (1 + Math.exp(-eta));
        }
        double e = Math.exp(eta);
        return e / (1 + e);
    }
}
