package org.covidrisk.imaging.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Patient-level evaluation of the IJIMAI method: pre-train the CNN on findings, fine-tune on survival, score a
 * patient by the mean of its images' death probabilities, and stack a second layer on CNN output + age + sex (a
 * {@link SecondLayerFitter} given by the caller: ensemble-service's logistic {@code XraySecondLayer} in the command
 * line). Splits are always by patient, stratified by outcome and seeded.
 */
public final class ImagingValidation {

    /** Inputs of the second layer: CNN probability, age, sex. */
    static final List<String> SECOND_LAYER = List.of(SecondLayerFitter.CNN, SecondLayerFitter.AGE,
            SecondLayerFitter.MALE);
    /** Inputs of the baseline: age and sex alone. */
    static final List<String> AGE_SEX = List.of(SecondLayerFitter.AGE, SecondLayerFitter.MALE);

    /**
     * Options of a validation run.
     *
     * @param net network (its class count is set per task)
     * @param pretrain findings pre-training
     * @param finetune survival training (also used for the from-scratch comparison)
     * @param folds folds of the patient-level cross-validation
     * @param seed seed of folds, weights, sampling and augmentation
     * @param threads PyTorch intra-op threads (set by the caller before the engine starts; recorded here)
     * @param compareScratch also train on survival from scratch, for comparison
     */
    public record Settings(NetOptions net, TrainOptions pretrain, TrainOptions finetune, int folds, long seed,
            int threads, boolean compareScratch) {

        /**
         * Defaults sized for 2 CPU cores: the resnet18 layout at half width (32 filters in the stem) on 64×64
         * input; findings pre-training 8 epochs at 1e-3, survival fine-tuning 10 epochs at 3e-4.
         */
        public static Settings defaults(long seed) {
            return new Settings(new NetOptions(64, 32, new int[]{2, 2, 2, 2}, 2),
                    new TrainOptions(8, 16, 1e-3f, 1e-4f, true, seed), new TrainOptions(10, 16, 3e-4f, 1e-4f, true,
                            seed),
                    5, seed, 2, true);
        }
    }

    private ImagingValidation() {
    }

    /** Pre-trains on the findings of every image whose patient passes {@code allowed}. */
    static XrayModel pretrain(XraySet data, Predicate<String> allowed, Settings s, long seed) {
        List<CnnTrainer.Sample> samples = new ArrayList<>();
        for (XraySet.Image i : data.images()) {
            if (i.finding() != null && allowed.test(i.patientId())) {
                samples.add(new CnnTrainer.Sample(i.pixels(), i.finding().ordinal(), i.patientId()));
            }
        }
        return CnnTrainer.train(samples, s.net().withClasses(XraySet.Finding.values().length),
                s.pretrain().withSeed(seed), null, "finding", data.dataSha256());
    }

    /** Trains on the survival labels of {@code patients}' images, from {@code init}'s backbone when given. */
    static XrayModel finetune(XraySet data, Set<String> patients, XrayModel init, Settings s, long seed) {
        List<CnnTrainer.Sample> samples = new ArrayList<>();
        for (XraySet.Image i : data.images()) {
            if (i.died() != null && patients.contains(i.patientId())) {
                samples.add(new CnnTrainer.Sample(i.pixels(), i.died() ? 1 : 0, i.patientId()));
            }
        }
        return CnnTrainer.train(samples, s.net().withClasses(2), s.finetune().withSeed(seed), init, "survival",
                data.dataSha256());
    }

    /** Mean death probability over each patient's images. */
    public static Map<String, Double> patientScores(XrayModel model, XraySet data, Set<String> patients) {
        List<XraySet.Image> images = data.images().stream().filter(i -> patients.contains(i.patientId())).toList();
        float[][] p = model.probabilities(images.stream().map(XraySet.Image::pixels).toList(), 16);
        Map<String, double[]> sum = new LinkedHashMap<>();
        for (int k = 0; k < images.size(); k++) {
            double[] acc = sum.computeIfAbsent(images.get(k).patientId(), x -> new double[2]);
            acc[0] += p[k][1];
            acc[1]++;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        sum.forEach((k, v) -> out.put(k, v[0] / v[1]));
        return out;
    }

    /** Stratified, seeded assignment of labelled patients to folds. */
    public static Map<String, Integer> folds(Map<String, Boolean> labelled, int k, long seed) {
        Random r = new Random(seed);
        Map<String, Integer> out = new HashMap<>();
        for (boolean died : new boolean[]{true, false}) {
            List<String> ids = labelled.entrySet().stream().filter(e -> e.getValue() == died).map(Map.Entry::getKey)
                    .sorted().collect(Collectors.toCollection(ArrayList::new));
            Collections.shuffle(ids, r);
            for (int i = 0; i < ids.size(); i++) {
                out.put(ids.get(i), i % k);
            }
        }
        return out;
    }

    /**
     * k-fold cross-validation on the labelled patients of one set. Per fold, pre-training uses only the images of
     * patients outside the test fold; the second layer is cross-validated on the out-of-fold CNN scores with the
     * same folds, with {@code secondLayer} (also fitted on age + sex alone as the baseline).
     */
    public static Map<String, Object> crossValidate(XraySet data, Settings s, SecondLayerFitter secondLayer) {
        long t0 = System.nanoTime();
        Map<String, Boolean> labelled = data.labelledPatients();
        Map<String, Integer> fold = folds(labelled, s.folds(), s.seed());
        Map<String, Double> transfer = new HashMap<>();
        Map<String, Double> scratch = new HashMap<>();
        List<Double> foldTransfer = new ArrayList<>();
        List<Double> foldScratch = new ArrayList<>();
        List<Map<String, Double>[]> results = runFolds(s, s.folds(), f -> {
            Set<String> test = patientsIn(fold, f, true);
            Set<String> train = patientsIn(fold, f, false);
            long seed = s.seed() + 1000L * (f + 1);
            Map<String, Double> tr;
            try (XrayModel pre = pretrain(data, p -> !test.contains(p), s, seed);
                    XrayModel m = finetune(data, train, pre, s, seed)) {
                tr = patientScores(m, data, test);
            }
            Map<String, Double> sc = Map.of();
            if (s.compareScratch()) {
                try (XrayModel m = finetune(data, train, null, s, seed)) {
                    sc = patientScores(m, data, test);
                }
            }
            @SuppressWarnings("unchecked")
            Map<String, Double>[] out = new Map[]{tr, sc};
            return out;
        });
        for (Map<String, Double>[] r : results) {
            transfer.putAll(r[0]);
            scratch.putAll(r[1]);
            foldTransfer.add(auroc(r[0], labelled));
            if (s.compareScratch()) {
                foldScratch.add(auroc(r[1], labelled));
            }
        }
        double cnnSeconds = (System.nanoTime() - t0) / 1e9;
        Map<String, XraySet.Image> first = data.firstImageOfPatient();
        Map<String, Double> second = stackedCv(labelled, fold, s.folds(), p -> new double[]{transfer.get(p),
                first.get(p).age(), first.get(p).male()}, SECOND_LAYER, secondLayer);
        Map<String, Double> ageSex = stackedCv(labelled, fold, s.folds(), p -> new double[]{first.get(p).age(),
                first.get(p).male()}, AGE_SEX, secondLayer);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mode", "cross-validation");
        out.put("folds", s.folds());
        out.put("seed", s.seed());
        out.put("n_patients", labelled.size());
        out.put("n_deaths", labelled.values().stream().filter(b -> b).count());
        out.put("n_images", data.images().size());
        out.put("auroc_cnn", auroc(transfer, labelled));
        out.put("auroc_cnn_per_fold", foldTransfer);
        if (s.compareScratch()) {
            out.put("auroc_cnn_scratch", auroc(scratch, labelled));
            out.put("auroc_cnn_scratch_per_fold", foldScratch);
        }
        out.put("auroc_second_layer", auroc(second, labelled));
        out.put("auroc_age_sex", auroc(ageSex, labelled));
        out.put("architecture", s.net().architecture());
        out.put("pretrain", s.pretrain());
        out.put("finetune", s.finetune());
        out.put("threads", s.threads());
        out.put("cnn_seconds", Math.round(cnnSeconds * 10) / 10.0);
        out.put("data_sha256", data.dataSha256());
        return out;
    }

    /** Result of {@link #trainTest}: the JSON fields and the final survival model (caller closes it). */
    public record TrainTest(Map<String, Object> report, XrayModel model) {
    }

    /**
     * Trains on one directory and tests on another: pre-training on every image of {@code train} with a finding,
     * fine-tuning on its survival labels; the second layer is fitted on the train patients' out-of-fold CNN scores
     * (inner k-fold) so that it never sees a CNN score of a patient the CNN was trained on; {@code secondLayer} fits
     * it, and the age + sex baseline.
     */
    public static TrainTest trainTest(XraySet train, XraySet test, Settings s, SecondLayerFitter secondLayer) {
        long t0 = System.nanoTime();
        Map<String, Boolean> trainLabels = train.labelledPatients();
        Map<String, Boolean> testLabels = test.labelledPatients();
        XrayModel pre = pretrain(train, p -> true, s, s.seed());
        Map<String, Integer> fold = folds(trainLabels, s.folds(), s.seed());
        Map<String, Double> oof = new HashMap<>();
        for (Map<String, Double> r : runFolds(s, s.folds(), f -> {
            try (XrayModel m = finetune(train, patientsIn(fold, f, false), pre, s, s.seed() + 1000L * (f + 1))) {
                return patientScores(m, train, patientsIn(fold, f, true));
            }
        })) {
            oof.putAll(r);
        }
        XrayModel finalModel = finetune(train, trainLabels.keySet(), pre, s, s.seed());
        pre.close();
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Double> cnnTest = patientScores(finalModel, test, testLabels.keySet());
        Map<String, XraySet.Image> trFirst = train.firstImageOfPatient();
        Map<String, XraySet.Image> teFirst = test.firstImageOfPatient();
        List<String> trIds = new ArrayList<>(trainLabels.keySet());
        boolean[] trDied = new boolean[trIds.size()];
        List<double[]> rows = new ArrayList<>();
        List<double[]> rowsAgeSex = new ArrayList<>();
        for (int i = 0; i < trIds.size(); i++) {
            String p = trIds.get(i);
            trDied[i] = trainLabels.get(p);
            rows.add(new double[]{oof.get(p), trFirst.get(p).age(), trFirst.get(p).male()});
            rowsAgeSex.add(new double[]{trFirst.get(p).age(), trFirst.get(p).male()});
        }
        ToDoubleFunction<double[]> second = secondLayer.fit(SECOND_LAYER, rows, trDied);
        ToDoubleFunction<double[]> ageSex = secondLayer.fit(AGE_SEX, rowsAgeSex, trDied);
        Map<String, Double> secondTest = new HashMap<>();
        Map<String, Double> ageSexTest = new HashMap<>();
        for (String p : testLabels.keySet()) {
            XraySet.Image f = teFirst.get(p);
            secondTest.put(p, second.applyAsDouble(new double[]{cnnTest.get(p), f.age(), f.male()}));
            ageSexTest.put(p, ageSex.applyAsDouble(new double[]{f.age(), f.male()}));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mode", "train-test");
        out.put("auroc_cnn", auroc(cnnTest, testLabels));
        out.put("auroc_second_layer", auroc(secondTest, testLabels));
        out.put("auroc_age_sex", auroc(ageSexTest, testLabels));
        out.put("auroc_cnn_train_oof", auroc(oof, trainLabels));
        out.put("n_train_patients", trainLabels.size());
        out.put("n_test_patients", testLabels.size());
        out.put("n_train_images", train.images().size());
        out.put("n_test_images", test.images().size());
        out.put("folds", s.folds());
        out.put("seed", s.seed());
        out.put("architecture", s.net().architecture());
        out.put("train_seconds", Math.round(trainSeconds * 10) / 10.0);
        out.put("train_sha256", train.dataSha256());
        out.put("test_sha256", test.dataSha256());
        return new TrainTest(out, finalModel);
    }

    private static Set<String> patientsIn(Map<String, Integer> fold, int f, boolean inFold) {
        return fold.entrySet().stream().filter(e -> (e.getValue() == f) == inFold).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    /**
     * Cross-validated second-layer scores: per fold, {@code fitter} is fitted on the other folds' rows (sorted by
     * patient id) and scores the fold's patients.
     */
    static Map<String, Double> stackedCv(Map<String, Boolean> labelled, Map<String, Integer> fold, int k,
            Function<String, double[]> row, List<String> names, SecondLayerFitter fitter) {
        Map<String, Double> out = new HashMap<>();
        for (int f = 0; f < k; f++) {
            List<String> train = new ArrayList<>(patientsIn(fold, f, false));
            Collections.sort(train);
            boolean[] died = new boolean[train.size()];
            List<double[]> rows = new ArrayList<>();
            for (int i = 0; i < train.size(); i++) {
                died[i] = labelled.get(train.get(i));
                rows.add(row.apply(train.get(i)));
            }
            ToDoubleFunction<double[]> m = fitter.fit(names, rows, died);
            for (String p : patientsIn(fold, f, true)) {
                out.put(p, m.applyAsDouble(row.apply(p)));
            }
        }
        return out;
    }

    static double auroc(Map<String, Double> scores, Map<String, Boolean> labels) {
        List<String> ids = new ArrayList<>(scores.keySet());
        double[] s = new double[ids.size()];
        boolean[] y = new boolean[ids.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = scores.get(ids.get(i));
            y[i] = labels.get(ids.get(i));
        }
        return Math.round(Auroc.of(s, y) * 10000) / 10000.0;
    }

    /** One fold's work. */
    @FunctionalInterface
    interface FoldTask<T> {
        T run(int fold);
    }

    /**
     * Runs the folds one after the other: DJL's PyTorch engine allows one gradient collector per process, so
     * folds cannot train concurrently; the cores are used by PyTorch's intra-op threads instead.
     */
    private static <T> List<T> runFolds(Settings s, int k, FoldTask<T> task) {
        List<T> out = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            out.add(task.run(f));
        }
        return out;
    }
}
