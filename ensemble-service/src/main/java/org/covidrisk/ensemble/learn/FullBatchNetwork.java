package org.covidrisk.ensemble.learn;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.exception.TooManyIterationsException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.SimpleValueChecker;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunctionGradient;
import org.apache.commons.math3.optim.nonlinear.scalar.gradient.NonLinearConjugateGradientOptimizer;

/**
 * Full-batch training of a network with one sigmoid hidden layer and a two-way softmax output (the PLOS stage
 * network), by Polak-Ribière conjugate gradient from Commons Math on the whole training set's L2-penalised
 * cross-entropy, from several seeded starts (the best training objective wins).
 *
 * <p>
 * Why by hand: neither DJL nor Tribuo offers a full-batch second-order-like optimiser, and with two hidden units
 * the loss surface has flat sigmoid plateaus where minibatch Adam stalls short of the optimum a full-batch method
 * reaches; Commons Math does the optimisation, this class only supplies the objective and its gradient
 * (backpropagation written out for one hidden layer). A two-way softmax equals a logistic output on the logit
 * difference, so the network is parametrised by that difference (output row 0 fixed at zero), which removes a
 * redundant direction the optimiser would otherwise wander along.
 */
final class FullBatchNetwork {

    /** L2 penalty on the weights (not the biases), scaled by 1/n as scikit-learn's MLPClassifier alpha. */
    final double alpha;
    final int maxIterations;
    final int restarts;
    final long seed;

    FullBatchNetwork(double alpha, int maxIterations, int restarts, long seed) {
        this.alpha = alpha;
        this.maxIterations = maxIterations;
        this.restarts = restarts;
        this.seed = seed;
    }

    /** Trained weights in {@link MlpLearner.Trained}'s layout: W1 [h][d], b1 [h], W2 [2][h], b2 [2]. */
    record Result(List<double[]> weights, double objective, int iterations) {
    }

    /**
     * Fits on standardised rows {@code x} (n × d) with outcomes {@code y}, {@code hidden} sigmoid units.
     */
    Result fit(double[][] x, boolean[] y, int hidden) {
        int d = x[0].length;
        Objective f = new Objective(x, y, hidden, alpha);
        Random random = new Random(seed);
        Result best = null;
        for (int r = 0; r < restarts; r++) {
            double[] start = new double[f.size()];
            // Xavier-uniform starts as the minibatch network's initialiser; biases at zero
            double a1 = Math.sqrt(6.0 / (d + hidden));
            double a2 = Math.sqrt(6.0 / (hidden + 1));
            for (int i = 0; i < hidden * d; i++) {
                start[i] = (2 * random.nextDouble() - 1) * a1;
            }
            for (int k = 0; k < hidden; k++) {
                start[hidden * d + hidden + k] = (2 * random.nextDouble() - 1) * a2;
            }
            f.resetBest();
            // the default line search starts bracketing at a step of 1e-8 and stops CG after a few tiny steps on
            // standardised inputs; a unit initial bracket lets each line search find the real minimum
            var optimizer = new NonLinearConjugateGradientOptimizer(
                    NonLinearConjugateGradientOptimizer.Formula.POLAK_RIBIERE, new SimpleValueChecker(1e-12, 1e-15),
                    1e-8, 1e-10, 1.0);
            int iterations = maxIterations;
            try {
                optimizer.optimize(new MaxEval(maxIterations * 40), new MaxIter(maxIterations),
                        new ObjectiveFunction(f::value), new ObjectiveFunctionGradient(f::gradient),
                        GoalType.MINIMIZE, new InitialGuess(start));
                iterations = optimizer.getIterations();
            } catch (TooManyEvaluationsException | TooManyIterationsException e) {
                // the budget is spent: keep the best point seen (the objective records it)
            }
            if (best == null || f.bestValue < best.objective()) {
                best = new Result(layout(f.bestPoint, d, hidden), f.bestValue, iterations);
            }
        }
        return best;
    }

    /** Unpacks θ = [W1, b1, v, c] into the stored layout, output row 0 at zero. */
    static List<double[]> layout(double[] t, int d, int hidden) {
        List<double[]> w = new ArrayList<>();
        double[] w1 = new double[hidden * d];
        System.arraycopy(t, 0, w1, 0, w1.length);
        double[] b1 = new double[hidden];
        System.arraycopy(t, hidden * d, b1, 0, hidden);
        double[] w2 = new double[2 * hidden];
        System.arraycopy(t, hidden * d + hidden, w2, hidden, hidden);
        double[] b2 = {0, t[hidden * d + 2 * hidden]};
        w.add(w1);
        w.add(b1);
        w.add(w2);
        w.add(b2);
        return w;
    }

    /** Mean cross-entropy plus α/(2n)·‖W‖², with its gradient; remembers the best point it was asked about. */
    static final class Objective {
        private final double[][] x;
        private final double[] y;
        private final int hidden;
        private final int d;
        private final double alpha;
        double bestValue = Double.POSITIVE_INFINITY;
        double[] bestPoint;

        Objective(double[][] x, boolean[] died, int hidden, double alpha) {
            this.x = x;
            this.y = new double[died.length];
            for (int i = 0; i < died.length; i++) {
                y[i] = died[i] ? 1 : 0;
            }
            this.hidden = hidden;
            this.d = x[0].length;
            this.alpha = alpha;
        }

        int size() {
            return hidden * d + 2 * hidden + 1;
        }

        void resetBest() {
            bestValue = Double.POSITIVE_INFINITY;
            bestPoint = null;
        }

        double value(double[] t) {
            return evaluate(t, null);
        }

        double[] gradient(double[] t) {
            double[] g = new double[t.length];
            evaluate(t, g);
            return g;
        }

        /** The objective at θ; fills {@code grad} when it is not null. */
        double evaluate(double[] t, double[] grad) {
            int n = x.length;
            int ob = hidden * d;
            int ov = ob + hidden;
            int oc = ov + hidden;
            double[] h = new double[hidden];
            double loss = 0;
            for (int i = 0; i < n; i++) {
                double[] xi = x[i];
                double o = t[oc];
                for (int k = 0; k < hidden; k++) {
                    double a = t[ob + k];
                    int row = k * d;
                    for (int j = 0; j < d; j++) {
                        a += t[row + j] * xi[j];
                    }
                    h[k] = 1 / (1 + Math.exp(-a));
                    o += t[ov + k] * h[k];
                }
                // log(1 + e^o) − y·o, computed without overflow
                loss += (o > 0 ? o + Math.log1p(Math.exp(-o)) : Math.log1p(Math.exp(o))) - y[i] * o;
                if (grad != null) {
                    double dOut = (1 / (1 + Math.exp(-o)) - y[i]) / n;
                    grad[oc] += dOut;
                    for (int k = 0; k < hidden; k++) {
                        grad[ov + k] += dOut * h[k];
                        double dA = dOut * t[ov + k] * h[k] * (1 - h[k]);
                        grad[ob + k] += dA;
                        int row = k * d;
                        for (int j = 0; j < d; j++) {
                            grad[row + j] += dA * xi[j];
                        }
                    }
                }
            }
            double penalty = 0;
            for (int i = 0; i < ob; i++) {
                penalty += t[i] * t[i];
            }
            for (int k = 0; k < hidden; k++) {
                penalty += t[ov + k] * t[ov + k];
            }
            if (grad != null) {
                for (int i = 0; i < ob; i++) {
                    grad[i] += alpha * t[i] / n;
                }
                for (int k = 0; k < hidden; k++) {
                    grad[ov + k] += alpha * t[ov + k] / n;
                }
            }
            double value = loss / n + alpha * penalty / (2.0 * n);
            if (value < bestValue) {
                bestValue = value;
                bestPoint = t.clone();
            }
            return value;
        }
    }
}
