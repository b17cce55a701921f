package org.covidrisk.cli.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.covidrisk.cli.validate.Cohort;
import org.covidrisk.ensemble.evaluation.BinaryMetrics;
import org.covidrisk.ensemble.learn.Folds;
import org.covidrisk.ensemble.learn.Learners;
import org.covidrisk.ensemble.learn.StackingLearner;
import org.covidrisk.ensemble.learn.TrainingData;
import org.covidrisk.feature.imputation.Column;
import org.covidrisk.feature.imputation.ColumnKind;
import org.covidrisk.feature.imputation.Mice;
import org.covidrisk.feature.imputation.MiceOptions;
import org.covidrisk.feature.imputation.MiceResult;

/**
 * {@code ./covid-risk bench stacking}: our stack (ensemble-service's {@link StackingLearner} with
 * {@link Learners#DEFAULT_STACK}) cross-validated on the stacking peer's own outer folds (read from the file
 * {@code bench/stacking_folds.py} writes), pooled out-of-fold AUROC and macro-F1 of the stack and of each base
 * learner, and the wall time, printed next to the peer's lines from the same run.
 * <p>
 * Inside each outer fold the stack does what the peer's {@code StackingClassifier} does: inner stratified
 * cross-validation (as many folds as the outer split) for the meta-learner's inputs, then the bases refit on the
 * whole training part. Rows with missing values (the Tongji labs) are completed per outer fold by MICE fitted on
 * the training part only (outcome as a predictor; the held-out rows through the fitted imputer, without their
 * outcome), as the service trains; the peer imputes medians inside its pipelines. Our time includes the
 * imputation. The Mexico cohort is read by {@link Cohort} exactly as {@code ./covid-risk validate} reads it
 * (stage-4 features, hospitalised confirmed positives, missing yes/no inputs filled with "no").
 * <p>
 * Usage: {@code StackingBench --dataset mexico|tongji --data PATH --folds-file F [--peer-log L] [--peer-note T]
 * [--seed 7] [--imputations 5]}. No patient data is printed: counts and metrics only.
 */
public final class StackingBench {

    private static final Pattern PEER_LINE = Pattern.compile(
            "^(\\S+)\\s+auroc=([0-9.]+) macroF1=([0-9.]+) .*time=([0-9.]+)s\\s*$");

    /** One line of the peer's report. */
    record PeerLine(double auroc, double macroF1, double seconds) {
    }

    private StackingBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value pairs, got " + args[i]);
            }
            a.put(args[i].substring(2), args[++i]);
        }
        // LibSVM (the svm base) reports every optimisation on stdout; the report is the bench's own lines
        libsvm.svm.svm_set_print_string_function(line -> {
        });
        String dataset = a.getOrDefault("dataset", "");
        Path data = Path.of(require(a, "data"));
        FoldFile folds = FoldFile.read(Path.of(require(a, "folds-file")));
        long seed = Long.parseLong(a.getOrDefault("seed", "7"));
        int imputations = Integer.parseInt(a.getOrDefault("imputations", "5"));

        long started = System.nanoTime();
        TrainingData cohort;
        List<String> keys;
        switch (dataset) {
            case "mexico" -> {
                cohort = Cohort.read(data, 4, false).data();
                keys = IntStream.range(0, cohort.size()).mapToObj(Integer::toString).toList();
            }
            case "tongji" -> {
                TongjiCohort t = TongjiCohort.read(data);
                cohort = t.data();
                keys = t.keys();
            }
            default -> throw new IllegalArgumentException("--dataset must be mexico or tongji");
        }
        double loadSeconds = (System.nanoTime() - started) / 1e9;
        int[] fold = folds.alignTo(keys, cohort.died());
        boolean missing = cohort.rows().stream().anyMatch(r -> java.util.Arrays.stream(r).anyMatch(Double::isNaN));
        System.out.printf("[ours] %s: %d patients, %d deaths, %d features (%s), read in %.1f s; folds: %s%n",
                dataset, cohort.size(), cohort.deaths(), cohort.featureNames().size(),
                missing ? "missing values completed per fold by MICE m=" + imputations : "no missing values",
                loadSeconds, folds.description());

        OutOfFold oof = run(cohort, fold, folds.folds(), seed, missing, imputations);
        double seconds = (System.nanoTime() - started) / 1e9 - loadSeconds;

        Map<String, PeerLine> peer = a.containsKey("peer-log") ? readPeer(Path.of(a.get("peer-log"))) : Map.of();
        String peerNote = a.getOrDefault("peer-note", "");
        System.out.printf("%n%s, %d-fold out-of-fold (the peer's folds), seed %d; macro-F1 at p >= 0.5%n", dataset,
                folds.folds(), seed);
        System.out.printf("%-14s %10s %10s %10s | %10s %10s %10s%n", "model", "AUROC", "macro-F1", "time s",
                "peer AUROC", "peer F1", "peer s");
        for (String model : oof.models()) {
            String peerName = peerName(model);
            Map<String, Double> m = BinaryMetrics.of(oof.pooled(model), cohort.died());
            PeerLine p = peer.get(peerName);
            boolean stack = model.equals(StackingLearner.NAME);
            System.out.printf("%-14s %10.4f %10.4f %10s | %10s %10s %10s%n", model, m.get("auroc"),
                    m.get("macro_f1"), stack ? String.format("%.1f", seconds) : "(in stack)",
                    p == null ? "-" : String.format("%.4f", p.auroc()),
                    p == null ? "-" : String.format("%.4f", p.macroF1()),
                    p == null ? "-" : String.format("%.1f", p.seconds()));
        }
        PeerLine ps = peer.get("stacking");
        Map<String, Double> ours = BinaryMetrics.of(oof.pooled(StackingLearner.NAME), cohort.died());
        if (ps != null) {
            System.out.printf("stacking: time ours/peer = %.1f s / %.1f s = %.3f; AUROC ours - peer = %+.4f; "
                    + "macro-F1 ours - peer = %+.4f%n", seconds, ps.seconds(), seconds / ps.seconds(),
                    ours.get("auroc") - ps.auroc(), ours.get("macro_f1") - ps.macroF1());
        } else {
            System.out.printf("stacking: no peer stacking figures%s: no ratio%n", peerNote.isEmpty()
                    ? ""
                    : " (" + peerNote + ")");
        }
    }

    /** Cross-validates the stack over the given folds; the stack's and each base's pooled predictions. */
    static OutOfFold run(TrainingData cohort, int[] fold, int folds, long seed, boolean impute, int imputations) {
        OutOfFold oof = new OutOfFold(cohort.size());
        for (int k = 0; k < folds; k++) {
            long t0 = System.nanoTime();
            int[][] split = Folds.split(fold, k);
            TrainingData train = cohort.subset(split[0]);
            TrainingData test = cohort.subset(split[1]);
            if (impute) {
                TrainingData[] completed = completeByMice(train, test, seed + k, imputations);
                train = completed[0];
                test = completed[1];
            }
            StackingLearner learner = Learners.stacking(Learners.DEFAULT_STACK, folds, false, List.of(), seed);
            StackingLearner.Trained stack = learner.fit(train);
            oof.put(StackingLearner.NAME, split[1], stack.predict(test.rows()));
            stack.basePredictions(test.rows()).forEach((name, q) -> oof.put(name, split[1], q));
            System.out.printf("[ours] fold %d/%d: %d train, %d held out, %.1f s%n", k + 1, folds, split[0].length,
                    split[1].length, (System.nanoTime() - t0) / 1e9);
        }
        return oof;
    }

    /**
     * MICE fitted on the training rows (outcome as a predictor), the mean of its m completed matrices as the
     * training matrix; the held-out rows completed by the fitted imputer without their outcome, averaged the same
     * way.
     */
    static TrainingData[] completeByMice(TrainingData train, TrainingData test, long seed, int m) {
        List<Column> columns = train.featureNames().stream().map(n -> new Column(n, ColumnKind.CONTINUOUS))
                .toList();
        double[] y = new double[train.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = train.died()[i] ? 1 : 0;
        }
        MiceOptions options = new MiceOptions(m, 10, seed, 5, 2000, 5);
        MiceResult r = Mice.fit(columns, train.rows().toArray(double[][]::new), y, options);
        double[][][] t = r.imputer().impute(test.rows().toArray(double[][]::new), seed);
        List<double[]> testRows = new ArrayList<>(test.size());
        for (int i = 0; i < test.size(); i++) {
            double[] mean = new double[t[0][i].length];
            for (double[][] c : t) {
                for (int j = 0; j < mean.length; j++) {
                    mean[j] += c[i][j] / t.length;
                }
            }
            testRows.add(mean);
        }
        return new TrainingData[]{new TrainingData(train.featureNames(), List.of(r.mean()), train.died()),
                new TrainingData(test.featureNames(), testRows, test.died())};
    }

    /** The peer's name for one of our models (its lines are lasso, rf, gbm, knn, svm, mlp, stacking). */
    static String peerName(String ours) {
        return switch (ours) {
            case "random-forest" -> "rf";
            case "lightgbm" -> "gbm";
            default -> ours;
        };
    }

    /** The model lines of a peer log ({@code name auroc=... macroF1=... ... time=...s}). */
    static Map<String, PeerLine> readPeer(Path log) throws IOException {
        Map<String, PeerLine> out = new LinkedHashMap<>();
        if (!Files.exists(log)) {
            return out;
        }
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            Matcher m = PEER_LINE.matcher(line.strip());
            if (m.matches()) {
                out.put(m.group(1), new PeerLine(Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
                        Double.parseDouble(m.group(4))));
            }
        }
        return out;
    }

    private static String require(Map<String, String> a, String name) {
        String v = a.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }
}
