package org.covidrisk.ensemble.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.covidrisk.ensemble.Cohort;
import org.covidrisk.ensemble.ModelVersion;
import org.covidrisk.ensemble.client.ImagingClient;
import org.covidrisk.ensemble.client.IngestClient;
import org.covidrisk.ensemble.config.EnsembleConfig;
import org.covidrisk.ensemble.evaluation.Evaluation;
import org.covidrisk.ensemble.evaluation.HoldoutPredictions;
import org.covidrisk.ensemble.learn.LogisticLearner;
import org.covidrisk.ensemble.learn.TrainingData;
import org.covidrisk.ensemble.learn.XraySecondLayer;
import org.covidrisk.ensemble.v1.TrainRequest;
import org.covidrisk.imaging.v1.ScoreImageResponse;
import org.covidrisk.ingest.v1.CohortRequest;
import org.covidrisk.ingest.v1.PatientRecord;
import org.covidrisk.ingest.v1.Sex;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.grpc.GrpcProblems.Violation;
import org.covidrisk.platform.security.Caller;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Trains the X-ray second layer (cohort XRAY): the caller's patients with a stored X-ray and a known outcome
 * (ingest's cohort with {@code with_image_only}), the CNN score of each one's latest X-ray from imaging-service,
 * age, sex and, for stages 1-4, the score of the active DGE model of that stage. Stage 0 is the paper's model
 * (CNN + age + sex). Measured on a stratified hold-out next to the CNN alone and age + sex alone, then refit on
 * every row and stored as a version of (XRAY, stage).
 */
@ApplicationScoped
public class XrayTraining {

    private static final Logger LOG = Logger.getLogger(XrayTraining.class);

    /** Tries of one ScoreImage call while imaging-service's queue is full, before training fails. */
    static final int BUSY_TRIES = 5;

    @Inject
    IngestClient ingest;

    @Inject
    ImagingClient imaging;

    @Inject
    ScoringService scoring;

    @Inject
    ModelRegistry registry;

    @Inject
    EnsembleConfig config;

    @Inject
    ObjectMapper json;

    public ModelVersion train(Caller caller, TrainRequest request) {
        if (!request.getLearner().isBlank() && !LogisticLearner.NAME.equals(request.getLearner())) {
            throw GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "the X-ray second layer is a logistic model",
                    List.of(new Violation("learner", "must be logistic (or empty) with cohort xray")));
        }
        // 0: CNN + age + sex; 1-4: with that stage's clinical model as a further input
        int stage = ScoringService.stage(Cohort.XRAY, request.getStage());
        ModelRegistry.Loaded clinical = stage == 0
                ? null
                : registry.active(Cohort.DGE, stage)
                        .orElseThrow(() -> GrpcProblems.of(Status.Code.FAILED_PRECONDITION, "no active DGE model for"
                                + " stage " + stage
                                + " to give the X-ray model its clinical input; promote one, or train"
                                + " with stage 0 (CNN + age + sex only)",
                                List.of(new Violation("stage", "no DGE model"))));
        long seed = request.getSeed() == 0 ? config.defaultSeed() : request.getSeed();
        long started = System.nanoTime();
        List<String> names = XraySecondLayer.features(clinical != null);
        List<double[]> rows = new ArrayList<>();
        List<Boolean> died = new ArrayList<>();
        List<String> hospitals = new ArrayList<>();
        Map<String, Integer> skipped = new LinkedHashMap<>();
        TreeSet<String> cnnModels = new TreeSet<>();
        Iterator<PatientRecord> it = ingest.cohort(caller, CohortRequest.newBuilder().setWithImageOnly(true)
                .setHospitalisedOnly(request.getHospitalisedOnly()).setConfirmedOnly(request.getConfirmedOnly())
                .build());
        while (it.hasNext()) {
            PatientRecord r = it.next();
            // rows without age or sex are left out (counted in the provenance), not imputed
            if (!r.hasAge()) {
                skipped.merge("age missing", 1, Integer::sum);
                continue;
            }
            if (r.getSex() != Sex.SEX_FEMALE && r.getSex() != Sex.SEX_MALE) {
                skipped.merge("sex unknown", 1, Integer::sum);
                continue;
            }
            ScoreImageResponse image = scoreImage(caller, r);
            if (!image.getHasImage()) {
                skipped.merge("no X-ray score", 1, Integer::sum);
                continue;
            }
            cnnModels.add(image.getModelVersion());
            double clinicalP = clinical == null
                    ? Double.NaN
                    : scoring.clinical(caller, clinical, stage, r).probability();
            rows.add(XraySecondLayer.row(image.getProbability(), r.getAge(), r.getSex() == Sex.SEX_MALE,
                    clinical != null, clinicalP));
            died.add(r.getDied());
            hospitals.add(r.getHospital());
        }
        if (cnnModels.size() > 1) {
            throw GrpcProblems.of(Status.Code.ABORTED, "imaging-service changed its CNN model during training ("
                    + String.join(", ", cnnModels) + "); train again");
        }
        boolean[] y = new boolean[died.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = died.get(i);
        }
        TrainingData data = new TrainingData(names, rows, y);
        if (data.size() < config.minTrainingRows() || data.deaths() == 0 || data.deaths() == data.size()) {
            throw GrpcProblems.of(Status.Code.FAILED_PRECONDITION, "the X-ray cohort has " + data.size()
                    + " patients with a scored X-ray, age and sex, and " + data.deaths() + " deaths; at least "
                    + config.minTrainingRows() + " with both outcomes are needed",
                    List.of(new Violation("cohort", "too small")));
        }
        int[][] split = TrainingService.stratifiedSplit(data.died(), config.holdoutFraction(), seed);
        TrainingData train = data.subset(split[0]);
        TrainingData holdout = data.subset(split[1]);
        XraySecondLayer.Measured measured = XraySecondLayer.measure(train, holdout, seed);
        Evaluation evaluation = Evaluation.of(measured.holdoutProbabilities(), holdout.died());
        Map<String, Double> metrics = new LinkedHashMap<>(evaluation.metrics());
        metrics.putAll(measured.comparison());
        LogisticLearner learner = XraySecondLayer.learner(seed);
        LogisticLearner.Trained model = learner.fit(data);

        ModelVersion v = new ModelVersion();
        v.modelId = UUID.randomUUID().toString();
        v.cohort = Cohort.XRAY.name();
        v.learner = LogisticLearner.NAME;
        v.stage = stage;
        v.featureSet = stage == 0 ? "xray-second-layer" : "xray-second-layer+plos-stage-" + stage;
        v.featureNames = String.join(",", names);
        v.nTrain = data.size();
        v.nDeaths = data.deaths();
        v.createdAt = Instant.now();
        v.createdBy = caller.username();
        v.artifact = model.serialize();
        v.missingValues = ModelVersion.MISSING_KEEP;
        v.metricsJson = write(metrics);
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("learner", LogisticLearner.NAME);
        provenance.put("options", learner.options());
        provenance.put("secondLayer", "IJIMAI 2021: logistic on the CNN output (logit), age and sex"
                + (clinical == null ? "" : ", and the clinical model's logit"));
        provenance.put("featureSet", v.featureSet);
        provenance.put("features", names);
        provenance.put("cnnModel", cnnModels.isEmpty() ? "" : cnnModels.first());
        provenance.put("clinicalModel", clinical == null
                ? Map.of()
                : Map.of("modelId",
                        clinical.version().modelId, "version", clinical.version().version, "learner",
                        clinical.version().learner, "stage", stage));
        provenance.put("rows", data.size());
        provenance.put("deaths", data.deaths());
        provenance.put("skipped", skipped);
        provenance.put("dataSha256", data.sha256());
        provenance.put("cohort", Map.of("withImageOnly", true, "hospitalisedOnly", request.getHospitalisedOnly(),
                "confirmedOnly", request.getConfirmedOnly(), "image", "each patient's latest stored X-ray"));
        provenance.put("seed", seed);
        provenance.put("evaluation", Map.of("split", "stratified hold-out", "holdoutFraction",
                config.holdoutFraction(), "trainRows", train.size(), "holdoutRows", holdout.size(),
                "comparison", "auroc_cnn_alone: the CNN's output; auroc_age_sex_alone: logistic on age and sex"
                        + " fitted on the same training rows; both on the same hold-out rows",
                "deployedModel", "refit on all rows"));
        provenance.put("reliabilityProfile", evaluation.reliabilityProfile());
        provenance.put("calibration", evaluation.reliability());
        provenance.put("artifactFormat", model.format());
        provenance.put("libraries", TrainingService.LIBRARIES);
        provenance.put("trainedAt", v.createdAt.toString());
        provenance.put("trainingSeconds", (System.nanoTime() - started) / 1e9);
        v.provenanceJson = write(provenance);
        String[] holdoutHospitals = Arrays.stream(split[1]).mapToObj(hospitals::get).toArray(String[]::new);
        ModelVersion stored = registry.store(v, request.getPromote(),
                new HoldoutPredictions(measured.holdoutProbabilities(), holdout.died(), holdoutHospitals));
        LOG.infof("X-ray model %s stage %d v%d trained on %d patients (%d deaths), hold-out AUROC %.3f"
                + " (CNN alone %.3f, age+sex alone %.3f), by %s", stored.modelId, stage, stored.version,
                data.size(), data.deaths(), metrics.get("auroc_second_layer"), metrics.get("auroc_cnn_alone"),
                metrics.get("auroc_age_sex_alone"), caller.username());
        return stored;
    }

    /**
     * The CNN score of a patient's latest X-ray. A full imaging queue is waited out a few times (training calls
     * one image at a time, so it only meets the queue of concurrent scoring); any other error fails the training.
     */
    private ScoreImageResponse scoreImage(Caller caller, PatientRecord r) {
        for (int attempt = 1;; attempt++) {
            try {
                return imaging.scoreOrFail(caller, r.getPatientId(), r.getHospital(), config.trainCallTimeout());
            } catch (StatusRuntimeException e) {
                Status.Code code = e.getStatus().getCode();
                if (code != Status.Code.RESOURCE_EXHAUSTED || attempt == BUSY_TRIES) {
                    throw GrpcProblems.of(code, "imaging-service could not score a training X-ray (" + code
                            + (code == Status.Code.RESOURCE_EXHAUSTED ? ", busy after " + attempt + " tries" : "")
                            + "); the X-ray model was not trained");
                }
                try {
                    Thread.sleep(200L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw GrpcProblems.of(Status.Code.CANCELLED, "interrupted while imaging-service was busy");
                }
            }
        }
    }

    private String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
