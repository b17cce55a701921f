package org.covidrisk.ensemble.learn;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.jboss.logging.Logger;

/**
 * Stacking as in the Scientific Reports paper: every base learner is cross-validated (stratified k-fold, 10 by
 * default) to give an out-of-fold probability for every training patient; a logistic meta-learner is trained on
 * those (as logits), optionally with the population meta-features and the base features as extra inputs; the
 * base learners are then refit on all rows. Columns named in {@code metaOnlyColumns} (the population
 * meta-features) are withheld from the base learners and given to the meta-learner only.
 */
public final class StackingLearner implements Learner {

    /** Learner name in the registry. */
    public static final String NAME = "stacking";
    /** Serialized format: nested artifacts of the base models and the meta-learner. */
    public static final String FORMAT = "stacking-v1";
    private static final Logger LOG = Logger.getLogger(StackingLearner.class);

    /**
     * Options.
     *
     * @param base base learners (names in {@link Learners})
     * @param folds cross-validation folds for the out-of-fold probabilities
     * @param withBaseFeatures give the meta-learner the base features too
     * @param metaOnlyColumns columns only the meta-learner sees
     */
    public record Options(List<String> base, int folds, boolean withBaseFeatures, List<String> metaOnlyColumns,
            long seed) {

        public Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("base", base);
            m.put("folds", folds);
            m.put("foldSeed", seed);
            m.put("metaLearner", "logistic (L2) on out-of-fold logits");
            m.put("withBaseFeatures", withBaseFeatures);
            m.put("metaOnlyColumns", metaOnlyColumns);
            return m;
        }
    }

    private final Options options;
    private final Map<String, Learner> base;

    public StackingLearner(Options options, Map<String, Learner> base) {
        this.options = options;
        this.base = base;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> options() {
        Map<String, Object> m = options.asMap();
        Map<String, Object> baseOptions = new LinkedHashMap<>();
        base.forEach((n, l) -> baseOptions.put(n, l.options()));
        m.put("baseOptions", baseOptions);
        return m;
    }

    /**
     * Fits every base learner on every fold's training part (for the out-of-fold probabilities) and on all rows
     * (the models kept), as independent tasks on as many threads as there are cores; then the meta-learner. The
     * result does not depend on the order the tasks run in.
     */
    @Override
    public Trained fit(TrainingData data) {
        TrainingData baseData = data.select(baseColumns(data.featureNames()));
        int[] fold = Folds.stratified(data.died(), options.folds(), options.seed());
        int bases = options.base().size();
        double[][] oof = new double[bases][data.size()];
        FittedModel[] fitted = new FittedModel[bases];
        // the refits on all rows first (the longest), then fold by fold across the bases, so that learners that
        // train one at a time (the MLP's seeded PyTorch) spread over the run instead of queueing at its end
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int b = 0; b < bases; b++) {
            Learner learner = base.get(options.base().get(b));
            int bi = b;
            tasks.add(() -> {
                fitted[bi] = learner.fit(baseData);
                return null;
            });
        }
        for (int k = 0; k < options.folds(); k++) {
            int[][] split = Folds.split(fold, k);
            for (int b = 0; b < bases; b++) {
                Learner learner = base.get(options.base().get(b));
                int bi = b;
                tasks.add(() -> {
                    double[] q = learner.fit(baseData.subset(split[0])).predict(baseData.subset(split[1]).rows());
                    for (int i = 0; i < q.length; i++) {
                        oof[bi][split[1][i]] = q[i];
                    }
                    return null;
                });
            }
        }
        long started = System.nanoTime();
        runAll(tasks, Runtime.getRuntime().availableProcessors());
        LOG.debugf("stacking: %d base fits in %.1f s", (Object) tasks.size(), (System.nanoTime() - started) / 1e9);
        List<double[]> oofList = List.of(oof);
        TrainingData metaData = metaInputs(data, oofList);
        LogisticLearner.Trained meta = new LogisticLearner(LogisticLearner.Options.defaults(), options.seed())
                .train(metaData);
        return new Trained(data.featureNames(), baseData.featureNames(), options, List.of(fitted), meta, oofList);
    }

    /** Runs the tasks on a pool of the given size; the first failure is rethrown as it was. */
    static void runAll(List<Callable<Void>> tasks, int threads) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, tasks.size())));
        try {
            for (Future<Void> f : pool.invokeAll(tasks)) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("stacking interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private List<String> baseColumns(List<String> all) {
        return all.stream().filter(c -> !options.metaOnlyColumns().contains(c)).toList();
    }

    /** The meta-learner's inputs: one logit per base learner, then meta-only columns, then base features. */
    private TrainingData metaInputs(TrainingData data, List<double[]> baseProbabilities) {
        return new TrainingData(metaNames(options, baseColumns(data.featureNames())),
                metaRows(options, data.featureNames(), data.rows(), baseProbabilities), data.died());
    }

    static List<String> metaNames(Options options, List<String> baseColumns) {
        List<String> names = new ArrayList<>();
        for (String b : options.base()) {
            names.add("logit_" + b);
        }
        names.addAll(options.metaOnlyColumns());
        if (options.withBaseFeatures()) {
            names.addAll(baseColumns);
        }
        return names;
    }

    static List<double[]> metaRows(Options options, List<String> featureNames, List<double[]> rows,
            List<double[]> baseProbabilities) {
        int[] metaIdx = options.metaOnlyColumns().stream().mapToInt(featureNames::indexOf).toArray();
        int[] baseIdx = featureNames.stream().filter(c -> !options.metaOnlyColumns().contains(c))
                .mapToInt(featureNames::indexOf).toArray();
        int width = baseProbabilities.size() + metaIdx.length + (options.withBaseFeatures() ? baseIdx.length : 0);
        List<double[]> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            double[] r = new double[width];
            int c = 0;
            for (double[] p : baseProbabilities) {
                r[c++] = logit(p[i]);
            }
            for (int j : metaIdx) {
                r[c++] = rows.get(i)[j];
            }
            if (options.withBaseFeatures()) {
                for (int j : baseIdx) {
                    r[c++] = rows.get(i)[j];
                }
            }
            out.add(r);
        }
        return out;
    }

    static double logit(double p) {
        double q = Math.min(1 - 1e-6, Math.max(1e-6, p));
        return Math.log(q / (1 - q));
    }

    /** Loads an artifact written by {@link Trained#serialize()}. */
    public static Trained deserialize(byte[] artifact) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(artifact))) {
            List<String> names = Artifacts.readStrings(in);
            List<String> baseNames = Artifacts.readStrings(in);
            List<String> learners = Artifacts.readStrings(in);
            List<String> metaOnly = Artifacts.readStrings(in);
            boolean withBase = in.readBoolean();
            int folds = in.readInt();
            long seed = in.readLong();
            List<FittedModel> models = new ArrayList<>();
            for (String l : learners) {
                models.add(Learners.load(l, readBytes(in)));
            }
            LogisticLearner.Trained meta = LogisticLearner.deserialize(LogisticLearner.NAME, readBytes(in));
            return new Trained(names, baseNames, new Options(learners, folds, withBase, metaOnly, seed), models, meta,
                    List.of());
        } catch (IOException e) {
            throw new IllegalStateException("stored stacking model cannot be read: " + e.getMessage(), e);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return b;
    }

    /** A trained stack: base models refit on all rows and the meta-learner on their out-of-fold logits. */
    public static final class Trained extends BaseFitted {
        private final List<String> baseNames;
        private final Options options;
        private final List<FittedModel> baseModels;
        private final LogisticLearner.Trained meta;
        private final List<double[]> outOfFold;
        private final int[] baseIdx;

        Trained(List<String> featureNames, List<String> baseNames, Options options, List<FittedModel> baseModels,
                LogisticLearner.Trained meta, List<double[]> outOfFold) {
            super(NAME, featureNames, FORMAT);
            this.baseNames = List.copyOf(baseNames);
            this.options = options;
            this.baseModels = List.copyOf(baseModels);
            this.meta = meta;
            this.outOfFold = outOfFold;
            this.baseIdx = baseNames.stream().mapToInt(featureNames()::indexOf).toArray();
        }

        /** Out-of-fold probabilities of each base learner on the training rows (empty after loading). */
        public List<double[]> outOfFold() {
            return outOfFold;
        }

        /** The base models, in {@link Options#base()} order. */
        public List<FittedModel> baseModels() {
            return baseModels;
        }

        @Override
        public double[] predict(List<double[]> rows) {
            List<double[]> baseRows = rows.stream().map(this::baseRow).toList();
            List<double[]> probabilities = new ArrayList<>();
            for (FittedModel m : baseModels) {
                probabilities.add(m.predict(baseRows));
            }
            return meta.predict(metaRows(options, featureNames(), rows, probabilities));
        }

        /** The part of a full row that the base models see (without the meta-only columns). */
        public double[] baseRow(double[] row) {
            checkWidth(row);
            double[] b = new double[baseIdx.length];
            for (int j = 0; j < b.length; j++) {
                b[j] = row[baseIdx[j]];
            }
            return b;
        }

        /** Each base model's probability for each row, in base-learner order. */
        public Map<String, double[]> basePredictions(List<double[]> rows) {
            Map<String, double[]> out = new LinkedHashMap<>();
            List<double[]> baseRows = rows.stream().map(this::baseRow).toList();
            for (int i = 0; i < baseModels.size(); i++) {
                out.put(options.base().get(i), baseModels.get(i).predict(baseRows));
            }
            return out;
        }

        @Override
        public byte[] serialize() {
            return Artifacts.write(out -> {
                Artifacts.writeStrings(out, featureNames());
                Artifacts.writeStrings(out, baseNames);
                Artifacts.writeStrings(out, options.base());
                Artifacts.writeStrings(out, options.metaOnlyColumns());
                out.writeBoolean(options.withBaseFeatures());
                out.writeInt(options.folds());
                out.writeLong(options.seed());
                for (FittedModel m : baseModels) {
                    writeBytes(out, m.serialize());
                }
                writeBytes(out, meta.serialize());
            });
        }

        private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
            out.writeInt(b.length);
            out.write(b);
        }
    }
}
