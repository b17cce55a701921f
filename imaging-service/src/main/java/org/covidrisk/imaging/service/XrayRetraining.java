package org.covidrisk.imaging.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import org.covidrisk.imaging.client.IngestImageClient;
import org.covidrisk.imaging.config.ImagingConfig;
import org.covidrisk.imaging.model.Auroc;
import org.covidrisk.imaging.model.CnnTrainer;
import org.covidrisk.imaging.model.ImagingValidation;
import org.covidrisk.imaging.model.InvalidImageException;
import org.covidrisk.imaging.model.NetOptions;
import org.covidrisk.imaging.model.TrainOptions;
import org.covidrisk.imaging.model.XrayModel;
import org.covidrisk.ingest.v1.PatientRecord;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.grpc.GrpcProblems.Violation;
import org.jboss.logging.Logger;

import io.grpc.Status;

/**
 * Trains the X-ray CNN on stored X-rays: each patient of ingest's X-ray cohort as the caller may read it (with the
 * caller's token; a model admin's spans every hospital) with the latest stored image, labelled by the recorded
 * outcome.
 * The deployed model's weights are the starting point (transfer learning: its backbone, a new survival head), or
 * the network is trained from scratch when none is deployed. A stratified, seeded, patient-level hold-out measures
 * the new model and the one it started from on the same patients, so a model admin can judge before deploying;
 * the model saved (and served, when asked) is the one measured. One training at a time.
 */
@ApplicationScoped
public class XrayRetraining {

    private static final Logger LOG = Logger.getLogger(XrayRetraining.class);

    /** What a training gave. */
    public record Result(XrayModel model, String basedOn, int trainPatients, int trainDeaths, int holdoutPatients,
            int holdoutDeaths, double holdoutAuroc, Optional<Double> holdoutAurocBefore, Map<String, Integer> skipped,
            double seconds, Path savedTo) {
    }

    private record Labelled(String patientId, String imageSha256, boolean died, float[] pixels) {
    }

    private final XrayScorer scorer;
    private final IngestImageClient ingest;
    private final ImagingConfig config;
    private final AtomicBoolean running = new AtomicBoolean();

    public XrayRetraining(XrayScorer scorer, IngestImageClient ingest, ImagingConfig config) {
        this.scorer = scorer;
        this.ingest = ingest;
        this.config = config;
    }

    /**
     * Trains, measures and saves a model; the caller closes {@link Result#model()} (deploying goes through
     * {@link XrayScorer#deploy} with {@link Result#savedTo()}).
     */
    public Result train(String rawToken, long seed, int epochs, boolean hospitalisedOnly) throws IOException {
        if (!running.compareAndSet(false, true)) {
            throw GrpcProblems.of(Status.Code.FAILED_PRECONDITION, "an X-ray model is being trained; retry when it "
                    + "is done");
        }
        try {
            return doTrain(rawToken, seed, epochs, hospitalisedOnly);
        } finally {
            running.set(false);
        }
    }

    private Result doTrain(String rawToken, long seed, int epochs, boolean hospitalisedOnly) throws IOException {
        long started = System.nanoTime();
        Optional<Path> baseDir = scorer.modelDir();
        String basedOn = scorer.modelVersion().orElse("");
        try (XrayModel base = baseDir.isPresent() ? XrayModel.load(baseDir.get()) : null) {
            var defaults = ImagingValidation.Settings.defaults(seed);
            NetOptions net = base != null ? base.options() : defaults.net();
            Map<String, Integer> skipped = new TreeMap<>();
            List<Labelled> patients = new ArrayList<>();
            for (PatientRecord r : ingest.imagedPatients(rawToken, hospitalisedOnly)) {
                try {
                    Optional<IngestImageClient.Fetched> image = ingest.fetch(rawToken, r.getPatientId(), "");
                    if (image.isEmpty() || !image.get().info().getHospital().equals(r.getHospital())) {
                        skipped.merge("no stored X-ray of the patient's hospital", 1, Integer::sum);
                        continue;
                    }
                    patients.add(new Labelled(r.getPatientId(), image.get().info().getSha256(), r.getDied(),
                            scorer.prepare(image.get().bytes(), net.inputSize())));
                } catch (InvalidImageException e) {
                    skipped.merge("image refused: " + e.getMessage(), 1, Integer::sum);
                }
            }
            List<Labelled> deaths = patients.stream().filter(Labelled::died).toList();
            List<Labelled> survivors = patients.stream().filter(p -> !p.died()).toList();
            if (patients.size() < config.minTrainPatients() || deaths.size() < 2 || survivors.size() < 2) {
                throw GrpcProblems.of(Status.Code.FAILED_PRECONDITION, "too few patients to train on: " + patients
                        .size() + " with a stored X-ray and an outcome (" + deaths.size() + " deaths, "
                        + survivors.size() + " survivors); at least " + config.minTrainPatients()
                        + " with two of each outcome are needed",
                        List.of(new Violation("cohort", patients.size() + " patients, " + deaths.size()
                                + " deaths")));
            }
            List<Labelled> train = new ArrayList<>();
            List<Labelled> holdout = new ArrayList<>();
            Random random = new Random(seed);
            for (List<Labelled> outcome : List.of(deaths, survivors)) {
                List<Labelled> shuffled = new ArrayList<>(outcome);
                Collections.shuffle(shuffled, random);
                int held = Math.max(1, (int) Math.round(config.holdoutFraction() * shuffled.size()));
                holdout.addAll(shuffled.subList(0, held));
                train.addAll(shuffled.subList(held, shuffled.size()));
            }
            var d = defaults.finetune();
            TrainOptions options = new TrainOptions(epochs, d.batchSize(), d.learningRate(), d.weightDecay(),
                    d.augment(), seed);
            List<CnnTrainer.Sample> samples = train.stream()
                    .map(p -> new CnnTrainer.Sample(p.pixels(), p.died() ? 1 : 0, p.patientId())).toList();
            XrayModel trained = CnnTrainer.train(samples, net, options, base, "survival", dataSha256(train));
            try {
                List<float[]> heldPixels = holdout.stream().map(Labelled::pixels).toList();
                boolean[] died = new boolean[holdout.size()];
                for (int i = 0; i < died.length; i++) {
                    died[i] = holdout.get(i).died();
                }
                double auroc = Auroc.of(deathProbability(trained, heldPixels), died);
                Optional<Double> before = base == null
                        ? Optional.empty()
                        : Optional.of(Auroc.of(deathProbability(base, heldPixels), died));
                String version = XrayScorer.version(trained.provenance());
                Path dir = config.modelStore().resolve(version.replaceAll("[^A-Za-z0-9.-]", "_"));
                Files.createDirectories(dir.getParent());
                trained.save(dir);
                double seconds = (System.nanoTime() - started) / 1e9;
                LOG.infof("X-ray model %s trained on %d patients in %.1f s (hold-out AUROC %.3f, %d patients)", version,
                        train.size(), seconds, auroc, holdout.size());
                return new Result(trained, basedOn, train.size(), (int) train.stream().filter(Labelled::died).count(),
                        holdout.size(), (int) holdout.stream().filter(Labelled::died).count(), auroc, before, skipped,
                        seconds, dir);
            } catch (IOException | RuntimeException e) {
                trained.close();
                throw e;
            }
        }
    }

    private static double[] deathProbability(XrayModel m, List<float[]> pixels) {
        float[][] p = m.probabilities(pixels, 16);
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = p[i][1];
        }
        return out;
    }

    /** Hash of what the model learnt from: each training patient's image hash and outcome, in a fixed order. */
    static String dataSha256(List<Labelled> train) {
        List<String> lines = new ArrayList<>();
        for (Labelled p : train) {
            lines.add(p.patientId() + " " + p.imageSha256() + " " + (p.died() ? 1 : 0));
        }
        Collections.sort(lines);
        return IngestImageClient.sha256(String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
    }
}
