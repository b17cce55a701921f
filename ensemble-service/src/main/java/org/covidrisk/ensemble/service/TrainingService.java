package org.covidrisk.ensemble.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.covidrisk.ensemble.ModelVersion;
import org.covidrisk.ensemble.client.FeatureClient;
import org.covidrisk.ensemble.client.IngestClient;
import org.covidrisk.ensemble.config.EnsembleConfig;
import org.covidrisk.ensemble.evaluation.Evaluation;
import org.covidrisk.ensemble.evaluation.HoldoutPredictions;
import org.covidrisk.ensemble.learn.FittedModel;
import org.covidrisk.ensemble.learn.Learner;
import org.covidrisk.ensemble.learn.Learners;
import org.covidrisk.ensemble.learn.PopulationSnapshot;
import org.covidrisk.ensemble.learn.StackingLearner;
import org.covidrisk.ensemble.learn.TrainingData;
import org.covidrisk.ensemble.learn.TribuoFitted;
import org.covidrisk.ensemble.v1.TrainRequest;
import org.covidrisk.feature.v1.FeatureRow;
import org.covidrisk.feature.v1.FeatureSpec;
import org.covidrisk.feature.v1.FeaturizeResponse;
import org.covidrisk.ingest.v1.CohortRequest;
import org.covidrisk.ingest.v1.PatientRecord;
import org.covidrisk.platform.analysis.FeatureAnalysis;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.grpc.GrpcProblems.Violation;
import org.covidrisk.platform.security.Caller;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grpc.Status;

/**
 * Trains a model: streams the cohort from ingest, featurises it through feature-service, measures the learner
 * on a stratified hold-out split, refits on the whole cohort and stores the result with its provenance.
 */
@ApplicationScoped
public class TrainingService {

    private static final Logger LOG = Logger.getLogger(TrainingService.class);

    @Inject
    IngestClient ingest;

    @Inject
    FeatureClient features;

    @Inject
    ModelRegistry registry;

    @Inject
    EnsembleConfig config;

    @Inject
    ObjectMapper json;

    public ModelVersion train(Caller caller, TrainRequest request) {
        String learner = request.getLearner().isBlank() ? "logistic" : request.getLearner();
        if (!Learners.NAMES.contains(learner)) {
            throw GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "unknown learner " + learner,
                    List.of(new Violation("learner", "supported: " + String.join(", ", Learners.NAMES))));
        }
        int stage = request.getStage() == 0 ? 4 : request.getStage();
        if (stage < 1 || stage > 4) {
            throw GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "stage must be 1-4",
                    List.of(new Violation("stage", "must be 1-4")));
        }
        long seed = request.getSeed() == 0 ? config.defaultSeed() : request.getSeed();
        long started = System.nanoTime();
        List<String> hospitals = new ArrayList<>();
        TrainingData data = load(caller, stage, request, hospitals);
        if (data.size() < config.minTrainingRows() || data.deaths() == 0 || data.deaths() == data.size()) {
            throw GrpcProblems.of(Status.Code.FAILED_PRECONDITION, "the cohort has " + data.size() + " rows and "
                    + data.deaths() + " deaths; at least " + config.minTrainingRows()
                    + " rows with both outcomes are needed", List.of(new Violation("cohort", "too small")));
        }
        int[][] split = stratifiedSplit(data.died(), config.holdoutFraction(), seed);
        TrainingData train = data.subset(split[0]);
        TrainingData holdout = data.subset(split[1]);
        boolean meta = request.getPopulationMetaFeatures();
        // a stack gives the population meta-features to its meta-learner only, as in the stacking paper
        Learner lr = StackingLearner.NAME.equals(learner)
                ? Learners.stacking(Learners.DEFAULT_STACK, config.stackingFolds(),
                        request.getStackWithBaseFeatures(),
                        meta ? META_FEATURES : List.of(), seed)
                : Learners.create(learner, seed);
        int k = request.getNeighbours() == 0 ? 100 : request.getNeighbours();
        PopulationSnapshot population = null;
        if (meta) {
            // meta-features of the training rows come from the training rows only (each leaving itself out);
            // hold-out rows are compared with the training rows: no outcome crosses the split
            PopulationSnapshot trainPop = snapshot(train);
            TrainingData trainAug = withMeta(train, features.metaFeatures(caller, k, trainPop, List.of(),
                    config.trainCallTimeout()));
            TrainingData holdAug = withMeta(holdout, features.metaFeatures(caller, k, trainPop, holdout.rows(),
                    config.trainCallTimeout()));
            train = trainAug;
            holdout = holdAug;
            population = snapshot(data);
            data = withMeta(data, features.metaFeatures(caller, k, population, List.of(), config.trainCallTimeout()));
        }
        double[] holdoutP = lr.fit(train).predict(holdout.rows());
        Evaluation evaluation = Evaluation.of(holdoutP, holdout.died());
        Map<String, Double> metrics = evaluation.metrics();
        String[] holdoutHospitals = java.util.Arrays.stream(split[1]).mapToObj(hospitals::get)
                .toArray(String[]::new);
        List<Map<String, Object>> featureAnalysis = featureAnalysis(train);
        FittedModel model = lr.fit(data);

        ModelVersion v = new ModelVersion();
        v.modelId = UUID.randomUUID().toString();
        v.learner = learner;
        v.stage = stage;
        v.featureSet = "plos-stage-" + stage;
        v.featureNames = String.join(",", data.featureNames());
        v.nTrain = data.size();
        v.nDeaths = data.deaths();
        v.createdAt = Instant.now();
        v.createdBy = caller.username();
        v.artifact = model.serialize();
        if (population != null) {
            v.population = population.toBytes();
            v.metaK = k;
        }
        v.metricsJson = write(metrics);
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("learner", learner);
        provenance.put("options", lr.options());
        provenance.put("featureSet", v.featureSet);
        provenance.put("features", data.featureNames());
        if (model instanceof TribuoFitted t) {
            provenance.put("featuresUsed", t.usedFeatures());
            provenance.put("tribuoProvenance", t.tribuoProvenance());
        }
        provenance.put("rows", data.size());
        provenance.put("deaths", data.deaths());
        provenance.put("dataSha256", data.sha256());
        provenance.put("cohort", Map.of("hospitalisedOnly", request.getHospitalisedOnly(), "confirmedOnly",
                request.getConfirmedOnly()));
        provenance.put("seed", seed);
        provenance.put("populationMetaFeatures", meta
                ? Map.of("k", k, "features", META_FEATURES,
                        "computedWithin", "training split (hold-out rows against the training rows)")
                : false);
        provenance.put("evaluation", Map.of("split", "stratified hold-out", "holdoutFraction",
                config.holdoutFraction(), "trainRows", train.size(), "holdoutRows", holdout.size(),
                "deployedModel", "refit on all rows"));
        provenance.put("reliabilityProfile", evaluation.reliabilityProfile());
        provenance.put("calibration", evaluation.reliability());
        provenance.put("holdoutPredictions", "table model_holdout (probability, outcome, hospital per row)");
        provenance.put("featureAnalysis", featureAnalysis);
        provenance.put("artifactFormat", model.format());
        provenance.put("libraries", LIBRARIES);
        provenance.put("trainedAt", v.createdAt.toString());
        provenance.put("trainingSeconds", (System.nanoTime() - started) / 1e9);
        v.provenanceJson = write(provenance);
        ModelVersion stored = registry.store(v, request.getPromote(),
                new HoldoutPredictions(holdoutP, holdout.died(), holdoutHospitals));
        LOG.infof("model %s stage %d v%d trained on %d rows (%d deaths), hold-out AUROC %.3f, by %s",
                stored.modelId, stage, stored.version, data.size(), data.deaths(), metrics.get("auroc"),
                caller.username());
        return stored;
    }

    /**
     * Mutual information (bits) and Pearson correlation of each input with death over the given (training) rows,
     * with the analysis feature-service's studies use.
     */
    static List<Map<String, Object>> featureAnalysis(TrainingData d) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int j = 0; j < d.featureNames().size(); j++) {
            double[] x = new double[d.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = d.rows().get(i)[j];
            }
            Map<String, Object> stat = new LinkedHashMap<>();
            stat.put("feature", d.featureNames().get(j));
            stat.put("mutualInformation", FeatureAnalysis.mutualInformation(x, d.died()));
            stat.put("pearson", FeatureAnalysis.pearson(x, d.died()));
            out.add(stat);
        }
        return out;
    }

    /** Library versions recorded in every model's provenance. */
    static final Map<String, String> LIBRARIES = Map.of("tribuo", org.tribuo.Tribuo.VERSION, "lightgbm", "4.3.0",
            "djl", "0.35.1", "pytorch", "2.7.1", "java", System.getProperty("java.version"));

    /** Names of the population meta-features appended to the stage features. */
    public static final List<String> META_FEATURES = List.of("population_lethality", "population_death_entropy",
            "population_age_entropy");

    /** The base vectors, outcomes and ages (from the "age" feature) of a data set. */
    static PopulationSnapshot snapshot(TrainingData d) {
        int ageIndex = d.featureNames().indexOf("age");
        double[] age = new double[d.size()];
        for (int i = 0; i < age.length; i++) {
            age[i] = ageIndex < 0 ? Double.NaN : d.rows().get(i)[ageIndex];
        }
        return new PopulationSnapshot(d.rows(), d.died(), age);
    }

    /** The data set with the three meta-features appended to every row. */
    static TrainingData withMeta(TrainingData d, List<double[]> meta) {
        return d.withColumns(META_FEATURES, meta);
    }

    private TrainingData load(Caller caller, int stage, TrainRequest request, List<String> hospitals) {
        CohortRequest cohort = CohortRequest.newBuilder().setHospitalisedOnly(request.getHospitalisedOnly())
                .setConfirmedOnly(request.getConfirmedOnly()).build();
        Iterator<PatientRecord> it = ingest.cohort(caller, cohort);
        List<String> names = null;
        List<double[]> rows = new ArrayList<>();
        List<Boolean> died = new ArrayList<>();
        List<PatientRecord> batch = new ArrayList<>(config.featureBatchSize());
        while (true) {
            boolean more = it.hasNext();
            if (more) {
                batch.add(it.next());
            }
            if (batch.size() == config.featureBatchSize() || (!more && !batch.isEmpty())) {
                FeaturizeResponse f = features.featurize(caller, stage, batch, false, config.trainCallTimeout());
                if (names == null) {
                    names = f.getFeatureSet().getFeaturesList().stream().map(FeatureSpec::getName).toList();
                }
                for (FeatureRow r : f.getRowsList()) {
                    double[] x = new double[r.getValuesCount()];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = r.getValues(i);
                    }
                    rows.add(x);
                    died.add(r.getDied());
                    hospitals.add(r.getHospital());
                }
                batch.clear();
            }
            if (!more) {
                break;
            }
        }
        boolean[] y = new boolean[died.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = died.get(i);
        }
        return new TrainingData(names == null ? List.of() : names, rows, y);
    }

    /** Indices of a stratified split: [0] training, [1] hold-out, each class shuffled with the seed. */
    static int[][] stratifiedSplit(boolean[] died, double holdoutFraction, long seed) {
        Random random = new Random(seed);
        List<Integer> train = new ArrayList<>();
        List<Integer> holdout = new ArrayList<>();
        for (boolean cls : new boolean[]{true, false}) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < died.length; i++) {
                if (died[i] == cls) {
                    idx.add(i);
                }
            }
            java.util.Collections.shuffle(idx, random);
            int nHold = (int) Math.round(idx.size() * holdoutFraction);
            holdout.addAll(idx.subList(0, nHold));
            train.addAll(idx.subList(nHold, idx.size()));
        }
        return new int[][]{train.stream().mapToInt(Integer::intValue).toArray(),
                holdout.stream().mapToInt(Integer::intValue).toArray()};
    }

    private String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
