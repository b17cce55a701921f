package org.covidrisk.ensemble.learn;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.DecompositionSolver;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Generalised additive logistic model (issue 5): a penalised cubic B-spline (P-spline, Eilers and Marx 1996) of
 * each continuous input, binary and few-valued inputs linear, fitted by penalised iteratively reweighted least
 * squares. Each smooth has equally spaced knots over its training range, is centred over the training rows (so
 * that the intercept carries the mean), and its coefficients carry a second-order difference penalty λ; every
 * non-intercept coefficient also carries a small ridge, which keeps the system positive definite. With the
 * default {@code penalty = 0}, λ is chosen from a grid (10^-2 … 10^4) by AIC (deviance + 2 × effective degrees of
 * freedom), one λ shared by all smooths.
 * <p>
 * Written here rather than taken from a library: no maintained JVM library fits penalised spline GAMs (Tribuo,
 * Smile and Commons Math have B-spline interpolation at most, not a basis for regression); the linear algebra is
 * Commons Math's. Outside its training range a smooth is held at its edge value rather than extrapolated.
 */
public final class GamLearner implements Learner {

    /** Learner name in the registry. */
    public static final String NAME = "gam";
    /** Serialized format of the artifact. */
    public static final String FORMAT = "gam-v1";

    private static final int MAGIC = 0x47414d31;
    private static final double[] PENALTY_GRID = {1e-2, 1e-1, 1, 10, 100, 1e3, 1e4};

    /**
     * Options with defaults.
     *
     * @param segments equal intervals between knots per smooth (basis size = segments + 3)
     * @param penalty λ of the difference penalty; 0 chooses it by AIC
     * @param minSplineValues distinct values from which an input gets a smooth (fewer: linear)
     * @param ridge penalty on every non-intercept coefficient
     * @param maxIterations IRLS iterations
     * @param tolerance relative deviance change that ends IRLS
     */
    public record Options(int segments, double penalty, int minSplineValues, double ridge, int maxIterations,
            double tolerance) {

        public Options {
            if (segments < 1 || minSplineValues < 3 || maxIterations < 1) {
                throw new IllegalArgumentException("segments >= 1, minSplineValues >= 3, maxIterations >= 1");
            }
            if (!(penalty >= 0) || !(ridge > 0) || !(tolerance > 0)) {
                throw new IllegalArgumentException("penalty >= 0, ridge > 0, tolerance > 0");
            }
        }

        /** 10 segments, λ by AIC, smooths from 10 distinct values, ridge 1e-4, 50 iterations, tolerance 1e-8. */
        public static Options defaults() {
            return new Options(10, 0, 10, 1e-4, 50, 1e-8);
        }

        public Options withPenalty(double lambda) {
            return new Options(segments, lambda, minSplineValues, ridge, maxIterations, tolerance);
        }

        public Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("basis", "cubic B-spline, equally spaced knots, centred");
            m.put("segments", segments);
            m.put("differenceOrder", 2);
            m.put("penalty", penalty == 0 ? "chosen by AIC from " + Arrays.toString(PENALTY_GRID) : penalty);
            m.put("minSplineValues", minSplineValues);
            m.put("ridge", ridge);
            m.put("fit", "penalised IRLS (Commons Math Cholesky)");
            m.put("maxIterations", maxIterations);
            m.put("tolerance", tolerance);
            return m;
        }
    }

    private final Options options;

    public GamLearner(Options options) {
        this.options = options;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> options() {
        return options.asMap();
    }

    @Override
    public Trained fit(TrainingData data) {
        Terms terms = Terms.of(data, options);
        double[][] x = new double[data.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = terms.design(data.rows().get(i));
        }
        double[] y = new double[data.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = data.died()[i] ? 1 : 0;
        }
        Fit best = null;
        double[] lambdas = options.penalty() > 0 ? new double[]{options.penalty()} : PENALTY_GRID;
        for (double lambda : lambdas) {
            Fit f = irls(x, y, terms.penalty(lambda, options.ridge()));
            if (best == null || f.aic() < best.aic()) {
                best = new Fit(f.beta(), f.deviance(), f.edf(), f.aic(), lambda);
            }
        }
        return new Trained(data.featureNames(), terms, best.beta(), best.lambda(), best.edf());
    }

    private record Fit(double[] beta, double deviance, double edf, double aic, double lambda) {
    }

    /** Penalised IRLS: repeatedly solves (XᵀWX + S) β = XᵀWz. */
    private Fit irls(double[][] x, double[] y, double[][] s) {
        int n = x.length;
        int q = s.length;
        double[] beta = new double[q];
        double mean = Arrays.stream(y).average().orElse(0.5);
        beta[0] = Math.log(mean / (1 - mean));
        double deviance = Double.POSITIVE_INFINITY;
        double[][] xtwx = null;
        DecompositionSolver solver = null;
        for (int it = 0; it < options.maxIterations(); it++) {
            xtwx = new double[q][q];
            double[] xtwz = new double[q];
            for (int i = 0; i < n; i++) {
                double eta = dot(x[i], beta);
                double p = sigmoid(eta);
                double w = Math.max(p * (1 - p), 1e-10);
                double z = eta + (y[i] - p) / w;
                for (int a = 0; a < q; a++) {
                    double xa = x[i][a];
                    if (xa == 0) {
                        continue;
                    }
                    xtwz[a] += w * xa * z;
                    for (int b = a; b < q; b++) {
                        xtwx[a][b] += w * xa * x[i][b];
                    }
                }
            }
            double[][] lhs = new double[q][q];
            for (int a = 0; a < q; a++) {
                for (int b = a; b < q; b++) {
                    xtwx[b][a] = xtwx[a][b];
                }
            }
            for (int a = 0; a < q; a++) {
                for (int b = 0; b < q; b++) {
                    lhs[a][b] = xtwx[a][b] + s[a][b];
                }
            }
            solver = solver(new Array2DRowRealMatrix(lhs, false));
            beta = solver.solve(new ArrayRealVector(xtwz, false)).toArray();
            double next = deviance(x, y, beta);
            boolean done = Math.abs(deviance - next) <= options.tolerance() * (Math.abs(next) + 0.1);
            deviance = next;
            if (done) {
                break;
            }
        }
        // effective degrees of freedom: trace((XᵀWX + S)⁻¹ XᵀWX), at the weights of the last iteration
        RealMatrix influence = solver.solve(new Array2DRowRealMatrix(xtwx, false));
        double edf = influence.getTrace();
        return new Fit(beta, deviance, edf, deviance + 2 * edf, Double.NaN);
    }

    private static DecompositionSolver solver(RealMatrix m) {
        try {
            return new CholeskyDecomposition(m, 1e-10, 1e-14).getSolver();
        } catch (NonPositiveDefiniteMatrixException e) {
            return new LUDecomposition(m).getSolver();
        }
    }

    private static double deviance(double[][] x, double[] y, double[] beta) {
        double d = 0;
        for (int i = 0; i < x.length; i++) {
            double p = Math.min(1 - 1e-15, Math.max(1e-15, sigmoid(dot(x[i], beta))));
            d -= 2 * (y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p));
        }
        return d;
    }

    static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** How each input enters the model: left out (constant), linear, or a centred P-spline. */
    static final class Terms {
        static final int DROPPED = 0;
        static final int LINEAR = 1;
        static final int SPLINE = 2;
        static final int DEGREE = 3;

        final int[] kind;
        final double[] lo;
        final double[] hi;
        final int segments;
        /** Per input, the training mean of each basis column (spline) or of the input (linear). */
        final double[][] centre;

        Terms(int[] kind, double[] lo, double[] hi, int segments, double[][] centre) {
            this.kind = kind;
            this.lo = lo;
            this.hi = hi;
            this.segments = segments;
            this.centre = centre;
        }

        static Terms of(TrainingData data, Options o) {
            int d = data.featureNames().size();
            int[] kind = new int[d];
            double[] lo = new double[d];
            double[] hi = new double[d];
            double[][] centre = new double[d][];
            for (int j = 0; j < d; j++) {
                final int col = j;
                double[] v = data.rows().stream().mapToDouble(r -> r[col]).toArray();
                for (double x : v) {
                    if (!Double.isFinite(x)) {
                        throw new IllegalArgumentException("gam needs complete inputs: " + data.featureNames()
                                .get(j) + " has a missing value");
                    }
                }
                lo[j] = Arrays.stream(v).min().orElse(0);
                hi[j] = Arrays.stream(v).max().orElse(0);
                long distinct = Arrays.stream(v).distinct().limit(o.minSplineValues()).count();
                kind[j] = lo[j] == hi[j] ? DROPPED : distinct >= o.minSplineValues() ? SPLINE : LINEAR;
            }
            Terms t = new Terms(kind, lo, hi, o.segments(), centre);
            for (int j = 0; j < d; j++) {
                int width = t.width(j);
                double[] sum = new double[width];
                for (double[] r : data.rows()) {
                    double[] b = t.raw(j, r[j]);
                    for (int k = 0; k < width; k++) {
                        sum[k] += b[k];
                    }
                }
                for (int k = 0; k < width; k++) {
                    sum[k] /= data.size();
                }
                centre[j] = sum;
            }
            return t;
        }

        int width(int j) {
            return switch (kind[j]) {
                case SPLINE -> segments + DEGREE;
                case LINEAR -> 1;
                default -> 0;
            };
        }

        /** Columns of the design: the intercept, then each input's terms. */
        int columns() {
            int q = 1;
            for (int j = 0; j < kind.length; j++) {
                q += width(j);
            }
            return q;
        }

        /** One row of the design matrix. */
        double[] design(double[] row) {
            double[] out = new double[columns()];
            out[0] = 1;
            int at = 1;
            for (int j = 0; j < kind.length; j++) {
                if (!Double.isFinite(row[j]) && kind[j] != DROPPED) {
                    throw new IllegalArgumentException("gam needs complete inputs: input " + j + " is missing");
                }
                double[] b = raw(j, row[j]);
                for (int k = 0; k < b.length; k++) {
                    out[at + k] = b[k] - centre[j][k];
                }
                at += b.length;
            }
            return out;
        }

        private double[] raw(int j, double x) {
            return switch (kind[j]) {
                case SPLINE -> bSplineBasis(Math.min(hi[j], Math.max(lo[j], x)), lo[j], hi[j], segments);
                case LINEAR -> new double[]{x};
                default -> new double[0];
            };
        }

        /** λ·DᵀD on each smooth's block (D: second differences) plus the ridge on every non-intercept column. */
        double[][] penalty(double lambda, double ridge) {
            int q = columns();
            double[][] s = new double[q][q];
            int at = 1;
            for (int j = 0; j < kind.length; j++) {
                int w = width(j);
                if (kind[j] == SPLINE) {
                    for (int r = 0; r + 2 < w; r++) {
                        int[] idx = {at + r, at + r + 1, at + r + 2};
                        double[] c = {1, -2, 1};
                        for (int a = 0; a < 3; a++) {
                            for (int b = 0; b < 3; b++) {
                                s[idx[a]][idx[b]] += lambda * c[a] * c[b];
                            }
                        }
                    }
                }
                at += w;
            }
            for (int a = 1; a < q; a++) {
                s[a][a] += ridge;
            }
            return s;
        }
    }

    /**
     * The segments + 3 cubic B-splines on equally spaced knots over [lo, hi] at x in [lo, hi] (Cox-de Boor
     * recursion); they are non-negative and sum to 1.
     */
    static double[] bSplineBasis(double x, double lo, double hi, int segments) {
        int degree = Terms.DEGREE;
        double dx = (hi - lo) / segments;
        int nKnots = segments + 2 * degree + 1;
        double[] knots = new double[nKnots];
        for (int j = 0; j < nKnots; j++) {
            knots[j] = lo + (j - degree) * dx;
        }
        double[] b = new double[nKnots - 1];
        int span = degree + Math.min(segments - 1, (int) Math.floor((x - lo) / dx));
        b[span] = 1;
        for (int d = 1; d <= degree; d++) {
            for (int j = 0; j < nKnots - 1 - d; j++) {
                double left = (x - knots[j]) / (knots[j + d] - knots[j]) * b[j];
                double right = (knots[j + d + 1] - x) / (knots[j + d + 1] - knots[j + 1]) * b[j + 1];
                b[j] = left + right;
            }
        }
        return Arrays.copyOf(b, segments + degree);
    }

    /** Loads an artifact written by {@link Trained#serialize()}. */
    public static Trained deserialize(byte[] artifact) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(artifact))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalStateException("not a " + FORMAT + " artifact");
            }
            int d = in.readInt();
            List<String> names = new ArrayList<>(d);
            for (int j = 0; j < d; j++) {
                names.add(in.readUTF());
            }
            int segments = in.readInt();
            int[] kind = new int[d];
            double[] lo = new double[d];
            double[] hi = new double[d];
            double[][] centre = new double[d][];
            for (int j = 0; j < d; j++) {
                kind[j] = in.readInt();
                lo[j] = in.readDouble();
                hi[j] = in.readDouble();
                centre[j] = readArray(in);
            }
            double lambda = in.readDouble();
            double edf = in.readDouble();
            double[] beta = readArray(in);
            Terms terms = new Terms(kind, lo, hi, segments, centre);
            if (beta.length != terms.columns()) {
                throw new IllegalStateException("the artifact's coefficients do not match its terms");
            }
            return new Trained(names, terms, beta, lambda, edf);
        } catch (IOException e) {
            throw new IllegalStateException("stored gam cannot be read: " + e.getMessage(), e);
        }
    }

    private static double[] readArray(DataInputStream in) throws IOException {
        double[] a = new double[in.readInt()];
        for (int i = 0; i < a.length; i++) {
            a[i] = in.readDouble();
        }
        return a;
    }

    private static void writeArray(DataOutputStream out, double[] a) throws IOException {
        out.writeInt(a.length);
        for (double v : a) {
            out.writeDouble(v);
        }
    }

    /** A fitted GAM: its terms, coefficients, the λ used and its effective degrees of freedom. */
    public static final class Trained extends BaseFitted {
        private final Terms terms;
        private final double[] beta;
        private final double lambda;
        private final double edf;

        Trained(List<String> featureNames, Terms terms, double[] beta, double lambda, double edf) {
            super(NAME, featureNames, FORMAT);
            this.terms = terms;
            this.beta = beta.clone();
            this.lambda = lambda;
            this.edf = edf;
        }

        /** λ of the difference penalty the model was fitted with. */
        public double penalty() {
            return lambda;
        }

        /** Effective degrees of freedom of the fit. */
        public double effectiveDegreesOfFreedom() {
            return edf;
        }

        /**
         * The fitted smooth of one input at x (its contribution to the log-odds, centred over the training rows);
         * a linear input gives its coefficient × (x − mean).
         */
        public double partialEffect(String feature, double x) {
            int j = featureNames().indexOf(feature);
            if (j < 0) {
                throw new IllegalArgumentException("no input " + feature);
            }
            int at = 1;
            for (int k = 0; k < j; k++) {
                at += terms.width(k);
            }
            double[] b = terms.raw(j, x);
            double s = 0;
            for (int k = 0; k < b.length; k++) {
                s += beta[at + k] * (b[k] - terms.centre[j][k]);
            }
            return s;
        }

        @Override
        public double[] predict(List<double[]> rows) {
            double[] out = new double[rows.size()];
            for (int i = 0; i < out.length; i++) {
                double[] r = rows.get(i);
                checkWidth(r);
                out[i] = sigmoid(dot(terms.design(r), beta));
            }
            return out;
        }

        @Override
        public byte[] serialize() {
            return Artifacts.write(out -> {
                out.writeInt(MAGIC);
                out.writeInt(featureNames().size());
                for (String n : featureNames()) {
                    out.writeUTF(n);
                }
                out.writeInt(terms.segments);
                for (int j = 0; j < featureNames().size(); j++) {
                    out.writeInt(terms.kind[j]);
                    out.writeDouble(terms.lo[j]);
                    out.writeDouble(terms.hi[j]);
                    writeArray(out, terms.centre[j]);
                }
                out.writeDouble(lambda);
                out.writeDouble(edf);
                writeArray(out, beta);
            });
        }
    }
}
