package org.covidrisk.cli.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.covidrisk.cli.validate.Cohort;
import org.covidrisk.ensemble.evaluation.BinaryMetrics;
import org.covidrisk.ensemble.learn.FittedModel;
import org.covidrisk.ensemble.learn.KnnLearner;
import org.covidrisk.ensemble.learn.Learner;
import org.covidrisk.ensemble.learn.Learners;
import org.covidrisk.ensemble.learn.LightGbmLearner;
import org.covidrisk.ensemble.learn.LogisticLearner;
import org.covidrisk.ensemble.learn.MlpLearner;
import org.covidrisk.ensemble.learn.SvmLearner;
import org.covidrisk.ensemble.learn.TrainingData;
import org.covidrisk.feature.Featurizer;
import org.covidrisk.feature.v1.FeatureSpec;
import org.covidrisk.feature.v1.FeatureVariant;
import org.covidrisk.feature.v1.MissingValues;
import org.covidrisk.ingest.v1.PatientRecord;

/**
 * The PLOS ONE 2021 Table 3 comparison on the peer's own split ({@code ./covid-risk bench stages}): for each of the
 * four clinical stages, our learners train on exactly the balanced training rows that
 * {@code ../shared/peers/mexico_stages.py} drew in the same run and are scored on its test rows; the table puts our
 * accuracy next to the peer's (parsed from its output) and the paper's.
 *
 * <p>
 * Inputs are the peer's: feature-service's full stage vector (every Table 2 characteristic, states and sector as
 * one-hot indicators) without the state of residence, which the peer does not use. The rows are read with
 * ingest's reader and featurised with feature-service's featuriser, as {@code covid-risk validate} does.
 */
public final class StageBenchmark {

    static final String FULL_BATCH_NN = MlpLearner.STAGE_NN + " (full-batch CG)";

    /** The paper's Table 3 accuracy where its text gives it (the table itself is an image): NN at stage 4. */
    static final Map<String, Double> PAPER = Map.of("4/" + FULL_BATCH_NN, 0.935, "4/stage-nn (Adam)", 0.935);

    /** One line of the peer's output. */
    record PeerFigure(int stage, String model, double accuracy, double specificity, double sensitivity,
            double auroc, double fitSeconds) {
    }

    private static final Pattern PEER_LINE = Pattern.compile(
            "stage (\\d) (.+?)\\s+acc=([0-9.]+) spec=([0-9.]+) sens=([0-9.]+) auroc=([0-9.]+) fit=([0-9.]+)s");

    /** Parses the peer's figure lines ({@code stage 1 NN(2 sigmoid)  acc=0.812 spec=... fit=3.1s}). */
    static List<PeerFigure> parsePeer(List<String> lines) {
        List<PeerFigure> out = new ArrayList<>();
        for (String line : lines) {
            Matcher m = PEER_LINE.matcher(line.trim());
            if (m.matches()) {
                out.add(new PeerFigure(Integer.parseInt(m.group(1)), m.group(2).trim(),
                        Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4)),
                        Double.parseDouble(m.group(5)), Double.parseDouble(m.group(6)),
                        Double.parseDouble(m.group(7))));
            }
        }
        return out;
    }

    /** One of our models in the table, with the peer model it is compared to (null: the peer has none). */
    record Entry(String label, String peerModel, Learner learner) {
    }

    /** Our figures for one model at one stage. */
    record Result(int stage, Entry entry, Map<String, Double> metrics, double fitSeconds) {
    }

    /** The columns the peer's features leave out: the state of residence. */
    static TrainingData peerColumns(TrainingData data) {
        return data.select(data.featureNames().stream().filter(n -> !n.startsWith("state_residence_")).toList());
    }

    /**
     * Our models: the stage network trained full-batch (the one compared to the peer's NN), LR, SVM, kNN(15) on the
     * peer's encoding (one-hot indicators unscaled), LightGBM; with {@code all}, also the minibatch-Adam stage
     * network (the learner's default) and kNN(15) with every column standardised (slow on two cores).
     */
    static List<Entry> entries(long seed, Set<String> indicators, boolean all) {
        int threads = Runtime.getRuntime().availableProcessors();
        List<Entry> e = new ArrayList<>();
        e.add(new Entry(FULL_BATCH_NN, "NN(2 sigmoid)", new MlpLearner(MlpLearner.STAGE_NN,
                MlpLearner.Options.stageNetworkFullBatch(seed))));
        if (all) {
            e.add(new Entry(MlpLearner.STAGE_NN + " (Adam)", "NN(2 sigmoid)", Learners.create(MlpLearner.STAGE_NN,
                    seed)));
        }
        e.add(new Entry("LR", "LR", Learners.create(LogisticLearner.NAME, seed)));
        e.add(new Entry("SVM (linear + Platt)", null, Learners.create(SvmLearner.NAME, seed)));
        e.add(new Entry("kNN(15), one-hot 0/1", "kNN(15)", new KnnLearner(new KnnLearner.Options(15, threads,
                indicators))));
        if (all) {
            e.add(new Entry("kNN(15), all standardised", "kNN(15)", new KnnLearner(new KnnLearner.Options(15,
                    threads))));
        }
        e.add(new Entry("LightGBM", null, Learners.create(LightGbmLearner.NAME, seed)));
        return e;
    }

    /**
     * Arguments: the DGE zip, the split file, the peer's output, the seed of our learners, and optionally
     * {@code --all-models}.
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: StageBenchmark DATA.zip SPLIT.csv PEER_OUTPUT.txt [SEED [--all-models]]");
            System.exit(2);
        }
        Path data = Path.of(args[0]);
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 7;
        boolean all = Arrays.asList(args).contains("--all-models");
        List<PeerFigure> peer = parsePeer(Files.readAllLines(Path.of(args[2])));
        long t0 = System.nanoTime();
        Cohort.ReadRecords read = Cohort.readRecords(data);
        List<PatientRecord> records = read.records();
        PeerSplit split = PeerSplit.read(Path.of(args[1]), records.size());
        long deaths = records.stream().filter(PatientRecord::getDied).count();
        System.out.printf(Locale.ROOT,
                "[ours] read %,d rows (%,d deaths) in %.1f s; peer split: train %,d / test %,d%n",
                records.size(), deaths, (System.nanoTime() - t0) / 1e9, split.train().length, split.test().length);
        List<PatientRecord> trainRecords = Arrays.stream(split.train()).mapToObj(records::get).toList();
        List<PatientRecord> testRecords = Arrays.stream(split.test()).mapToObj(records::get).toList();
        List<Result> results = new ArrayList<>();
        for (int stage = 1; stage <= 4; stage++) {
            Featurizer f = new Featurizer(stage, FeatureVariant.FEATURE_VARIANT_FULL, false,
                    MissingValues.MISSING_VALUES_FILL);
            Set<String> indicators = f.featureSet().getFeaturesList().stream()
                    .filter(s -> s.getType().equals("categorical-indicator")).map(FeatureSpec::getName)
                    .collect(Collectors.toSet());
            TrainingData train = peerColumns(Cohort.of(trainRecords, f, trainRecords.size()).data());
            TrainingData test = peerColumns(Cohort.of(testRecords, f, testRecords.size()).data());
            if (stage == 1) {
                System.out.printf(Locale.ROOT, "[ours] train deaths %,d of %,d, test deaths %,d of %,d; %d inputs at "
                        + "stage 1%n", train.deaths(), train.size(), test.deaths(), test.size(),
                        train.featureNames().size());
            }
            indicators.retainAll(train.featureNames());
            for (Entry e : entries(seed, indicators, all)) {
                long s = System.nanoTime();
                FittedModel m = e.learner().fit(train);
                double fit = (System.nanoTime() - s) / 1e9;
                Map<String, Double> metrics = BinaryMetrics.of(m.predict(test.rows()), test.died());
                Result r = new Result(stage, e, metrics, fit);
                results.add(r);
                System.out.printf(Locale.ROOT,
                        "[ours] stage %d %-22s acc=%.3f spec=%.3f sens=%.3f auroc=%.3f fit=%.1fs%n",
                        stage, e.label(), metrics.get("accuracy"), metrics.get("specificity"),
                        metrics.get("sensitivity"), metrics.get("auroc"), fit);
            }
        }
        System.out.println();
        System.out.print(table(results, peer));
    }

    /** The Table-3-style comparison and, per stage, our best model against the peer's best. */
    static String table(List<Result> results, List<PeerFigure> peer) {
        StringBuilder out = new StringBuilder();
        out.append("| stage | model | ours acc | peer acc | paper acc | delta (points) | ours spec / sens | ours AUROC "
                + "| ours fit s | peer fit s |\n");
        out.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Result r : results) {
            PeerFigure p = r.entry().peerModel() == null
                    ? null
                    : peer.stream()
                            .filter(q -> q.stage() == r.stage() && q.model().equals(r.entry().peerModel())).findFirst()
                            .orElse(null);
            Double paper = PAPER.get(r.stage() + "/" + r.entry().label());
            double acc = r.metrics().get("accuracy");
            out.append(
                    String.format(Locale.ROOT, "| %d | %s | %.3f | %s | %s | %s | %.3f / %.3f | %.3f | %.1f | %s |%n",
                            r.stage(), r.entry().label(), acc, p == null
                                    ? "—"
                                    : String.format(Locale.ROOT, "%.3f",
                                            p.accuracy()),
                            paper == null ? "—" : String.format(Locale.ROOT, "%.3f", paper),
                            p == null ? "—" : String.format(Locale.ROOT, "%+.1f", 100 * (acc - p.accuracy())),
                            r.metrics().get("specificity"), r.metrics().get("sensitivity"), r.metrics().get("auroc"),
                            r.fitSeconds(), p == null ? "—" : String.format(Locale.ROOT, "%.1f", p.fitSeconds())));
        }
        out.append(
                "\n| stage | our best | peer best | delta (points) | target ≥ +1.0 |\n| --- | --- | --- | --- | --- |\n");
        Map<Integer, Result> best = new LinkedHashMap<>();
        for (Result r : results) {
            best.merge(r.stage(), r, (a, b) -> b.metrics().get("accuracy") > a.metrics().get("accuracy") ? b : a);
        }
        best.forEach((stage, r) -> {
            PeerFigure p = peer.stream().filter(q -> q.stage() == stage)
                    .max((a, b) -> Double.compare(a.accuracy(), b.accuracy())).orElse(null);
            double acc = r.metrics().get("accuracy");
            out.append(String.format(Locale.ROOT, "| %d | %s %.3f | %s | %s | %s |%n", stage, r.entry().label(), acc,
                    p == null ? "—" : String.format(Locale.ROOT, "%s %.3f", p.model(), p.accuracy()),
                    p == null ? "—" : String.format(Locale.ROOT, "%+.1f", 100 * (acc - p.accuracy())),
                    p == null ? "no peer figure" : acc >= p.accuracy() + 0.01 - 1e-9 ? "met" : "not met"));
        });
        return out.toString();
    }
}
