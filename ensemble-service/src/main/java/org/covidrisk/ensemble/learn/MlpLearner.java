package org.covidrisk.ensemble.learn;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;

/**
 * Multilayer perceptron trained with DJL (PyTorch engine): standardised inputs, fully connected hidden layers
 * with sigmoid or ReLU, a two-way softmax output, Adam on cross-entropy, early stopping on a stratified
 * validation share. With one hidden layer of two sigmoid neurons it is the clinical-stage network of the PLOS
 * paper ("stage-nn").
 *
 * <p>
 * After training, the weights are copied out of the engine and the model predicts in plain Java: a network of
 * this size costs less to evaluate than one native call, the model needs no native memory per version, and it
 * can expose the hidden-neuron outputs that the paper's hypothesis-test mode uses as estimators.
 */
public final class MlpLearner implements Learner {

    /** Learner name of the general MLP in the registry. */
    public static final String NAME = "mlp";
    /** Learner name of the PLOS clinical-stage network (2 sigmoid hidden neurons, softmax). */
    public static final String STAGE_NN = "stage-nn";
    /** Serialized format: layer sizes, activation, scaler and weights as doubles. */
    public static final String FORMAT = "mlp-weights-v1";

    static {
        // The networks here are tiny (at most tens of units, batches of 128 rows): PyTorch's intra-op threads only
        // wait for each other, and a stack already trains its folds concurrently (measured on two cores, 11 MLP
        // fits of a stack's outer fold: 22 s with PyTorch's default two threads, 4.3 s with one). Read once,
        // when DJL starts the engine; a value set by the operator (-Dai.djl.pytorch.num_threads) wins.
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", "1");
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
    }

    /**
     * Options with defaults.
     *
     * @param hidden units per hidden layer
     * @param sigmoid sigmoid hidden units (else ReLU)
     * @param validationFraction stratified share held out for early stopping (0 = train for all epochs)
     * @param patience epochs without a better validation loss before stopping
     * @param fullBatch train by full-batch conjugate gradient (one sigmoid hidden layer only) instead of minibatch
     *        Adam: on all rows, no early stopping, {@code maxEpochs} as the iteration limit
     * @param l2 full batch: L2 penalty α on the weights (scaled by 1/n, as scikit-learn's MLPClassifier)
     * @param restarts full batch: seeded starts, the best training objective kept
     */
    public record Options(int[] hidden, boolean sigmoid, int maxEpochs, int batchSize, double learningRate,
            double validationFraction, int patience, long seed, boolean fullBatch, double l2, int restarts) {

        /** Minibatch Adam options (the original form). */
        public Options(int[] hidden, boolean sigmoid, int maxEpochs, int batchSize, double learningRate,
                double validationFraction, int patience, long seed) {
            this(hidden, sigmoid, maxEpochs, batchSize, learningRate, validationFraction, patience, seed, false, 0,
                    1);
        }

        /** The stacking paper's MLP base learner (32 ReLU units, early stopping). */
        public static Options defaults(long seed) {
            return new Options(new int[]{32}, false, 40, 128, 0.003, 0.1, 5, seed);
        }

        /** The PLOS stage network: one hidden layer of 2 sigmoid neurons. */
        public static Options stageNetwork(long seed) {
            return new Options(new int[]{2}, true, 200, 64, 0.01, 0.15 / 0.85, 15, seed);
        }

        /**
         * The PLOS stage network trained full-batch: conjugate gradient on all training rows' L2-penalised
         * cross-entropy (α = 1e-4, scikit-learn's default), at most 300 iterations (the peer's max_iter), best of 2 seeded starts.
         */
        public static Options stageNetworkFullBatch(long seed) {
            return new Options(new int[]{2}, true, 300, 0, 0, 0, 0, seed, true, 1e-4, 2);
        }

        public Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("hidden", java.util.Arrays.stream(hidden).boxed().toList());
            m.put("activation", sigmoid ? "sigmoid" : "relu");
            m.put("output", "softmax(2)");
            if (fullBatch) {
                m.put("optimizer", "full-batch conjugate gradient (Commons Math, Polak-Ribiere)");
                m.put("maxIterations", maxEpochs);
                m.put("l2", l2);
                m.put("restarts", restarts);
                m.put("seed", seed);
                return m;
            }
            m.put("maxEpochs", maxEpochs);
            m.put("batchSize", batchSize);
            m.put("optimizer", "adam");
            m.put("learningRate", learningRate);
            m.put("validationFraction", validationFraction);
            m.put("patience", patience);
            m.put("engine", "DJL " + ai.djl.engine.Engine.class.getPackage().getImplementationVersion() + " PyTorch");
            return m;
        }
    }

    private static final Object SEEDED_TRAINING = new Object();

    private final String name;
    private final Options options;

    public MlpLearner(String name, Options options) {
        this.name = name;
        this.options = options;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Map<String, Object> options() {
        return options.asMap();
    }

    @Override
    public Trained fit(TrainingData data) {
        int d = data.featureNames().size();
        double[] mean = new double[d];
        double[] scale = new double[d];
        for (double[] r : data.rows()) {
            for (int j = 0; j < d; j++) {
                mean[j] += r[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= data.size();
        }
        for (double[] r : data.rows()) {
            for (int j = 0; j < d; j++) {
                scale[j] += (r[j] - mean[j]) * (r[j] - mean[j]);
            }
        }
        for (int j = 0; j < d; j++) {
            double sd = Math.sqrt(scale[j] / data.size());
            scale[j] = sd > 1e-12 ? 1 / sd : 0; // a constant column contributes nothing
        }
        if (options.fullBatch()) {
            return fitFullBatch(data, mean, scale);
        }
        // PyTorch's random generator is global to the process: one seeded minibatch training at a time, so that
        // concurrent fits (a stack's folds) draw the same numbers as sequential ones
        synchronized (SEEDED_TRAINING) {
            return fitMinibatch(data, d, mean, scale);
        }
    }

    private Trained fitMinibatch(TrainingData data, int d, double[] mean, double[] scale) {
        int[] trainIdx;
        int[] validIdx;
        if (options.validationFraction() > 0) {
            int folds = (int) Math.max(2, Math.round(1 / options.validationFraction()));
            int[][] split = Folds.split(Folds.stratified(data.died(), folds, options.seed()), 0);
            trainIdx = split[0];
            validIdx = split[1];
        } else {
            trainIdx = java.util.stream.IntStream.range(0, data.size()).toArray();
            validIdx = new int[0];
        }
        Engine.getEngine("PyTorch").setRandomSeed((int) options.seed());
        SequentialBlock net = new SequentialBlock();
        for (int units : options.hidden()) {
            net.add(Linear.builder().setUnits(units).build());
            net.add(options.sigmoid() ? Activation::sigmoid : Activation::relu);
        }
        net.add(Linear.builder().setUnits(2).build());
        try (Model model = Model.newInstance(name, "PyTorch")) {
            model.setBlock(net);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) options.learningRate()))
                            .build())
                    .optInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, d));
                NDManager m = trainer.getManager();
                ArrayDataset train = dataset(m, data, trainIdx, mean, scale, true);
                NDArray validX = validIdx.length == 0 ? null : matrix(m, data, validIdx, mean, scale);
                NDArray validY = validIdx.length == 0 ? null : labels(m, data, validIdx);
                double best = Double.POSITIVE_INFINITY;
                List<double[]> bestWeights = weights(net);
                int bestEpoch = 0;
                int epochs = 0;
                for (int epoch = 1; epoch <= options.maxEpochs(); epoch++) {
                    epochs = epoch;
                    for (Batch b : iterate(trainer, train)) {
                        EasyTrain.trainBatch(trainer, b);
                        trainer.step();
                        b.close();
                    }
                    if (validX == null) {
                        continue;
                    }
                    double loss;
                    try (NDManager scope = m.newSubManager()) {
                        NDArray logits = trainer.evaluate(new NDList(validX)).singletonOrThrow();
                        logits.attach(scope);
                        loss = Loss.softmaxCrossEntropyLoss().evaluate(new NDList(validY), new NDList(logits))
                                .getFloat();
                    }
                    if (loss < best - 1e-5) {
                        best = loss;
                        bestWeights = weights(net);
                        bestEpoch = epoch;
                    } else if (epoch - bestEpoch >= options.patience()) {
                        break;
                    }
                }
                List<double[]> finalWeights = validX == null ? weights(net) : bestWeights;
                return new Trained(name, data.featureNames(), options.hidden(), options.sigmoid(), mean, scale,
                        finalWeights, validX == null ? epochs : bestEpoch);
            }
        }
    }

    private Trained fitFullBatch(TrainingData data, double[] mean, double[] scale) {
        if (options.hidden().length != 1 || !options.sigmoid()) {
            throw new IllegalArgumentException("full-batch training supports one sigmoid hidden layer");
        }
        int d = mean.length;
        double[][] x = new double[data.size()][d];
        for (int i = 0; i < x.length; i++) {
            double[] r = data.rows().get(i);
            for (int j = 0; j < d; j++) {
                x[i][j] = (r[j] - mean[j]) * scale[j];
            }
        }
        FullBatchNetwork.Result r = new FullBatchNetwork(options.l2(), options.maxEpochs(), options.restarts(),
                options.seed()).fit(x, data.died(), options.hidden()[0]);
        return new Trained(name, data.featureNames(), options.hidden(), true, mean, scale, r.weights(),
                r.iterations());
    }

    private static Iterable<Batch> iterate(Trainer trainer, ArrayDataset data) {
        try {
            return trainer.iterateDataset(data);
        } catch (java.io.IOException | ai.djl.translate.TranslateException e) {
            throw new IllegalStateException("cannot iterate the training data: " + e.getMessage(), e);
        }
    }

    private static NDArray matrix(NDManager m, TrainingData data, int[] idx, double[] mean, double[] scale) {
        int d = mean.length;
        float[] x = new float[idx.length * d];
        for (int i = 0; i < idx.length; i++) {
            double[] r = data.rows().get(idx[i]);
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) ((r[j] - mean[j]) * scale[j]);
            }
        }
        return m.create(x, new Shape(idx.length, d));
    }

    private static NDArray labels(NDManager m, TrainingData data, int[] idx) {
        float[] y = new float[idx.length];
        for (int i = 0; i < idx.length; i++) {
            y[i] = data.died()[idx[i]] ? 1f : 0f;
        }
        return m.create(y);
    }

    private ArrayDataset dataset(NDManager m, TrainingData data, int[] idx, double[] mean, double[] scale,
            boolean shuffle) {
        return new ArrayDataset.Builder().setData(matrix(m, data, idx, mean, scale))
                .optLabels(labels(m, data, idx)).setSampling(options.batchSize(), shuffle).build();
    }

    /** Weights and biases of each Linear layer, in order (weight matrices row-major [out][in]). */
    private static List<double[]> weights(SequentialBlock net) {
        List<double[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : net.getParameters()) {
            float[] v = p.getValue().getArray().toFloatArray();
            double[] w = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                w[i] = v[i];
            }
            out.add(w);
        }
        return out;
    }

    /** Loads an artifact written by {@link Trained#serialize()}. */
    public static Trained deserialize(String learner, byte[] artifact) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(artifact))) {
            int d = in.readInt();
            List<String> names = new ArrayList<>(d);
            for (int i = 0; i < d; i++) {
                names.add(in.readUTF());
            }
            int[] hidden = new int[in.readInt()];
            for (int i = 0; i < hidden.length; i++) {
                hidden[i] = in.readInt();
            }
            boolean sigmoid = in.readBoolean();
            int epochs = in.readInt();
            double[] mean = readArray(in);
            double[] scale = readArray(in);
            int n = in.readInt();
            List<double[]> w = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                w.add(readArray(in));
            }
            return new Trained(learner, names, hidden, sigmoid, mean, scale, w, epochs);
        } catch (IOException e) {
            throw new IllegalStateException("stored network cannot be read: " + e.getMessage(), e);
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

    /** A trained network evaluated in plain Java. */
    public static final class Trained extends BaseFitted {
        private final int[] hidden;
        private final boolean sigmoid;
        private final double[] mean;
        private final double[] scale;
        private final List<double[]> weights;
        private final int epochs;

        Trained(String learner, List<String> featureNames, int[] hidden, boolean sigmoid, double[] mean,
                double[] scale, List<double[]> weights, int epochs) {
            super(learner, featureNames, FORMAT);
            this.hidden = hidden.clone();
            this.sigmoid = sigmoid;
            this.mean = mean;
            this.scale = scale;
            this.weights = weights;
            this.epochs = epochs;
        }

        /** Epoch whose weights were kept (the best validation loss under early stopping). */
        public int epochs() {
            return epochs;
        }

        @Override
        public double[] predict(List<double[]> rows) {
            double[] out = new double[rows.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = predict(rows.get(i));
            }
            return out;
        }

        @Override
        public double predict(double[] row) {
            double[][] a = activations(row);
            double[] logits = a[a.length - 1];
            // softmax over two classes: probability of death = σ(z1 − z0)
            return 1 / (1 + Math.exp(logits[0] - logits[1]));
        }

        /** The outputs of the first hidden layer (the hidden-neuron estimators of the PLOS hypothesis test). */
        public double[] hiddenOutputs(double[] row) {
            return activations(row)[0];
        }

        private double[][] activations(double[] row) {
            checkWidth(row);
            double[] x = new double[row.length];
            for (int j = 0; j < x.length; j++) {
                x[j] = (row[j] - mean[j]) * scale[j];
            }
            double[][] layers = new double[hidden.length + 1][];
            for (int l = 0; l <= hidden.length; l++) {
                double[] w = weights.get(2 * l);
                double[] b = weights.get(2 * l + 1);
                int units = b.length;
                double[] z = new double[units];
                for (int u = 0; u < units; u++) {
                    double s = b[u];
                    for (int j = 0; j < x.length; j++) {
                        s += w[u * x.length + j] * x[j];
                    }
                    z[u] = l < hidden.length ? (sigmoid ? 1 / (1 + Math.exp(-s)) : Math.max(0, s)) : s;
                }
                layers[l] = z;
                x = z;
            }
            return layers;
        }

        @Override
        public byte[] serialize() {
            return Artifacts.write(out -> {
                out.writeInt(featureNames().size());
                for (String n : featureNames()) {
                    out.writeUTF(n);
                }
                out.writeInt(hidden.length);
                for (int h : hidden) {
                    out.writeInt(h);
                }
                out.writeBoolean(sigmoid);
                out.writeInt(epochs);
                writeArray(out, mean);
                writeArray(out, scale);
                out.writeInt(weights.size());
                for (double[] w : weights) {
                    writeArray(out, w);
                }
            });
        }
    }
}
