package org.covidrisk.cli.command;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.covidrisk.cli.validate.Cohort;
import org.covidrisk.ensemble.evaluation.BinaryMetrics;
import org.covidrisk.ensemble.evaluation.Evaluation;
import org.covidrisk.ensemble.evaluation.GroupMetrics;
import org.covidrisk.ensemble.evaluation.HypothesisTest;
import org.covidrisk.ensemble.learn.FittedModel;
import org.covidrisk.ensemble.learn.Folds;
import org.covidrisk.ensemble.learn.GamLearner;
import org.covidrisk.ensemble.learn.Learner;
import org.covidrisk.ensemble.learn.Learners;
import org.covidrisk.ensemble.learn.MlpLearner;
import org.covidrisk.ensemble.learn.StackingLearner;
import org.covidrisk.ensemble.learn.TrainingData;
import org.covidrisk.ensemble.service.TrainingService;
import org.covidrisk.feature.population.PopulationMetaFeatures;
import org.covidrisk.feature.population.PopulationService;
import org.covidrisk.ingest.dge.DgeFileException;
import org.covidrisk.ingest.dge.RowViolation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code covid-risk validate}: trains a model on one DGE file and evaluates it on another, in one process, with
 * the services' own reader, featuriser, learners and metrics. Its interface is kept stable for outside
 * validation.
 */
@Command(name = "validate", mixinStandardHelpOptions = true, description = "Train on a DGE CSV, evaluate on another, print the metrics.")
public class ValidateCommand implements Callable<Integer> {

    static final List<String> MODELS = List.of(StackingLearner.NAME, "lightgbm", "lasso", MlpLearner.STAGE_NN,
            GamLearner.NAME);

    @Option(names = "--train", required = true, description = "training file (DGE CSV, 2020 or 2022 layout, plain or zip)")
    Path train;

    @Option(names = "--test", required = true, description = "test file (same formats)")
    Path test;

    @Option(names = "--model", required = true, description = "stacking, lightgbm, lasso, stage-nn or gam (also: ${COMPLETION-CANDIDATES})", completionCandidates = AllModels.class)
    String model;

    @Option(names = "--stage", description = "clinical stage 1-4 of the feature set (default 4); with stage-nn, the balanced PLOS protocol")
    Integer stage;

    @Option(names = "--all-patients", description = "keep every patient (default: hospitalised, confirmed positives)")
    boolean allPatients;

    @Option(names = "--seed", defaultValue = "7", description = "seed of folds, splits and learners (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--folds", defaultValue = "10", description = "stacking: cross-validation folds (default: ${DEFAULT-VALUE})")
    int folds;

    @Option(names = "--no-meta-features", description = "stacking: leave out the population meta-features")
    boolean noMetaFeatures;

    @Option(names = "--neighbours", defaultValue = "100", description = "stacking: K of the population meta-features (default: ${DEFAULT-VALUE})")
    int neighbours;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    /** Completion candidates: every learner the suite has. */
    static final class AllModels extends ArrayList<String> {
        AllModels() {
            super(Learners.NAMES);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (!Learners.NAMES.contains(model)) {
            return usage("--model must be one of " + String.join(", ", MODELS) + " (or " + String.join(", ",
                    Learners.NAMES) + ")");
        }
        int s = stage == null ? 4 : stage;
        if (s < 1 || s > 4) {
            return usage("--stage must be 1-4");
        }
        for (Path f : List.of(train, test)) {
            if (!Files.isReadable(f)) {
                return usage("cannot read " + f);
            }
        }
        Cohort trainCohort;
        Cohort testCohort;
        try {
            trainCohort = Cohort.read(train, s, allPatients);
            testCohort = Cohort.read(test, s, allPatients);
        } catch (DgeFileException e) {
            System.err.println("covid-risk validate: the file was refused:");
            for (RowViolation v : e.violations()) {
                System.err.println("  line " + v.line() + (v.column().isEmpty() ? "" : " column " + v.column())
                        + ": " + v.reason());
            }
            return 2;
        }
        TrainingData trainData = trainCohort.data();
        TrainingData testData = testCohort.data();
        for (Object[] c : new Object[][]{{"train", trainData}, {"test", testData}}) {
            TrainingData d = (TrainingData) c[1];
            if (d.size() < 10 || d.deaths() == 0 || d.deaths() == d.size()) {
                return usage("the " + c[0] + " cohort has " + d.size() + " patients and " + d.deaths()
                        + " deaths: both outcomes are needed" + (allPatients ? "" : " (try --all-patients)"));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", model);
        out.put("stage", s);
        out.put("seed", seed);
        out.put("cohort", allPatients ? "all patients" : "hospitalised, confirmed positives");
        long started = System.nanoTime();
        Learner learner;
        TrainingData fitData = trainData;
        TrainingData evalData = testData;
        if (MlpLearner.STAGE_NN.equals(model)) {
            // the PLOS protocol: all deaths plus as many random survivors; 70 % train, 15 % early stopping
            // (inside the learner), 15 % internal test; the outside test file is scored as it is
            int[] balanced = balanced(trainData.died(), seed);
            TrainingData b = trainData.subset(balanced);
            int[][] split = internalTestSplit(b.died(), seed);
            fitData = b.subset(split[0]);
            learner = Learners.create(model, seed);
            FittedModel m = learner.fit(fitData);
            TrainingData internal = b.subset(split[1]);
            out.put("protocol", Map.of("balanced_rows", b.size(), "train_rows", fitData.size(),
                    "internal_test_rows", internal.size(), "split", "70/15/15 stratified, seed " + seed));
            out.put("internal_test", BinaryMetrics.of(m.predict(internal.rows()), internal.died()));
            return finish(out, learner, m, fitData, evalData, testCohort, started);
        }
        if (StackingLearner.NAME.equals(model)) {
            boolean meta = !noMetaFeatures;
            if (meta) {
                // the training rows' meta-features leave each patient out; the test rows look at the training rows
                fitData = withMeta(trainData, trainData, trainCohort.ages(), true);
                evalData = withMeta(testData, trainData, trainCohort.ages(), false);
            }
            learner = Learners.stacking(Learners.DEFAULT_STACK, folds, false,
                    meta ? TrainingService.META_FEATURES : List.of(), seed);
        } else {
            learner = Learners.create(model, seed);
        }
        FittedModel m = learner.fit(fitData);
        return finish(out, learner, m, fitData, evalData, testCohort, started);
    }

    private int finish(Map<String, Object> out, Learner learner, FittedModel m, TrainingData fitData,
            TrainingData evalData, Cohort testCohort, long started) throws Exception {
        double trainSeconds = (System.nanoTime() - started) / 1e9;
        double[] p = m.predict(evalData.rows());
        Map<String, Double> metrics = BinaryMetrics.of(p, evalData.died());
        out.putAll(metrics);
        out.put("n_train", fitData.size());
        out.put("n_train_deaths", fitData.deaths());
        out.put("n_test", evalData.size());
        out.put("n_test_deaths", evalData.deaths());
        out.put("features", fitData.featureNames());
        out.put("options", learner.options());
        out.put("train_seconds", trainSeconds);
        out.put("per_hospital", perHospital(p, evalData.died(), testCohort.hospitals()));
        Evaluation evaluation = Evaluation.of(p, evalData.died());
        out.put("reliability_profile", evaluation.reliabilityProfile().bins());
        if (m instanceof MlpLearner.Trained net && MlpLearner.STAGE_NN.equals(model)) {
            // the PLOS hypothesis-test mode: the softmax output and each hidden neuron as estimators of death,
            // Type-I/II error at the critical bound chosen for alpha = 0.05
            Map<String, Object> tests = new LinkedHashMap<>();
            tests.put("softmax", summary(evaluation.hypothesisTest()));
            int hidden = net.hiddenOutputs(evalData.rows().get(0)).length;
            for (int h = 0; h < hidden; h++) {
                final int unit = h;
                double[] z = evalData.rows().stream().mapToDouble(r -> net.hiddenOutputs(r)[unit]).toArray();
                // a neuron may fire for survival: orient it so that larger means death, as the test assumes
                if (BinaryMetrics.auroc(z, evalData.died()) < 0.5) {
                    z = Arrays.stream(z).map(v -> 1 - v).toArray();
                }
                tests.put("hidden_" + (h + 1), summary(HypothesisTest.of(z, evalData.died(), 0.05, 101, 20)));
            }
            out.put("hypothesis_test", tests);
        }
        if (m instanceof GamLearner.Trained g) {
            out.put("gam", Map.of("penalty", g.penalty(), "effective_degrees_of_freedom",
                    g.effectiveDegreesOfFreedom()));
        }
        if (m instanceof StackingLearner.Trained st) {
            Map<String, Object> base = new LinkedHashMap<>();
            st.basePredictions(evalData.rows()).forEach((name, q) -> base.put(name, BinaryMetrics.auroc(q,
                    evalData.died())));
            out.put("base_auroc", base);
        }
        if (json) {
            ObjectMapper mapper = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
            System.out.println(mapper.writeValueAsString(sanitise(out)));
        } else {
            System.out.printf("%s, stage %d: trained on %d patients (%d deaths) in %.1f s, tested on %d (%d deaths)%n",
                    model, out.get("stage"), fitData.size(), fitData.deaths(), trainSeconds, evalData.size(),
                    evalData.deaths());
            metrics.forEach((k, v) -> System.out.printf("  %-22s %.4f%n", k, v));
        }
        return 0;
    }

    private static Map<String, Object> summary(HypothesisTest t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("alpha", t.targetAlpha());
        m.put("critical_bound", t.criticalBound());
        m.put("type_i_error", t.typeIError());
        m.put("type_ii_error", t.typeIIError());
        m.put("accuracy", t.accuracy());
        return m;
    }

    /** Deaths, mortality and every metric per hospital of the test file, keyed by hospital. */
    static Map<String, Object> perHospital(double[] p, boolean[] died, List<String> hospitals) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (GroupMetrics g : Evaluation.byGroup(p, died, hospitals.toArray(String[]::new))) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("n", g.n());
            m.put("deaths", g.deaths());
            m.put("mortality", g.mortalityRate());
            m.putAll(g.metrics());
            out.put(g.group(), m);
        }
        return out;
    }

    /** JSON has no NaN: undefined metrics (one class only) become null. */
    static Object sanitise(Object o) {
        if (o instanceof Double d && (d.isNaN() || d.isInfinite())) {
            return null;
        }
        if (o instanceof Map<?, ?> m) {
            Map<Object, Object> c = new LinkedHashMap<>();
            m.forEach((k, v) -> c.put(k, sanitise(v)));
            return c;
        }
        if (o instanceof List<?> l) {
            return l.stream().map(ValidateCommand::sanitise).toList();
        }
        return o;
    }

    private TrainingData withMeta(TrainingData rows, TrainingData population, double[] popAges, boolean self)
            throws InterruptedException {
        double[][] pop = population.rows().toArray(double[][]::new);
        double[][] queries = self ? new double[0][] : rows.rows().toArray(double[][]::new);
        int threads = Runtime.getRuntime().availableProcessors();
        PopulationMetaFeatures.Result r = PopulationService.metaFeatures(pop, population.died(), popAges, queries,
                neighbours, true, threads);
        List<double[]> meta = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            meta.add(new double[]{r.lethality()[i], r.deathEntropy()[i], r.ageEntropy()[i]});
        }
        return rows.withColumns(TrainingService.META_FEATURES, meta);
    }

    /** All deaths plus an equal number of survivors drawn with the seed (all survivors if fewer). */
    static int[] balanced(boolean[] died, long seed) {
        List<Integer> dead = new ArrayList<>();
        List<Integer> alive = new ArrayList<>();
        for (int i = 0; i < died.length; i++) {
            (died[i] ? dead : alive).add(i);
        }
        java.util.Collections.shuffle(alive, new java.util.Random(seed));
        List<Integer> idx = new ArrayList<>(dead);
        idx.addAll(alive.subList(0, Math.min(alive.size(), dead.size())));
        return idx.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /** [0]: 85 % (training and early stopping), [1]: 15 % internal test, stratified. */
    static int[][] internalTestSplit(boolean[] died, long seed) {
        int[] fold = Folds.stratified(died, 20, seed);
        List<Integer> a = new ArrayList<>();
        List<Integer> b = new ArrayList<>();
        for (int i = 0; i < fold.length; i++) {
            (fold[i] < 3 ? b : a).add(i);
        }
        return new int[][]{a.stream().mapToInt(Integer::intValue).toArray(),
                b.stream().mapToInt(Integer::intValue).toArray()};
    }

    private static int usage(String message) {
        System.err.println("covid-risk validate: " + message);
        return 2;
    }
}
