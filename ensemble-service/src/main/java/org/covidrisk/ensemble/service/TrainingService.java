package org.covidrisk.ensemble.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.covidrisk.ensemble.Cohort;
import org.covidrisk.ensemble.ModelVersion;
import org.covidrisk.ensemble.client.FeatureClient;
import org.covidrisk.ensemble.client.IngestClient;
import org.covidrisk.ensemble.config.EnsembleConfig;
import org.covidrisk.ensemble.evaluation.Evaluation;
import org.covidrisk.ensemble.evaluation.HoldoutPredictions;
import org.covidrisk.ensemble.learn.FittedModel;
import org.covidrisk.ensemble.learn.GamLearner;
import org.covidrisk.ensemble.learn.Learner;
import org.covidrisk.ensemble.learn.Learners;
import org.covidrisk.ensemble.learn.PopulationSnapshot;
import org.covidrisk.ensemble.learn.StackingLearner;
import org.covidrisk.ensemble.learn.TrainingData;
import org.covidrisk.ensemble.learn.TribuoFitted;
import org.covidrisk.ensemble.v1.TrainRequest;
import org.covidrisk.feature.v1.FeatureRow;
import org.covidrisk.feature.v1.FeatureSet;
import org.covidrisk.feature.v1.FeatureSpec;
import org.covidrisk.feature.v1.FeaturizeResponse;
import org.covidrisk.feature.v1.FitImputerResponse;
import org.covidrisk.feature.v1.ImputationOptions;
import org.covidrisk.feature.v1.Imputer;
import org.covidrisk.feature.v1.MissingValues;
import org.covidrisk.feature.v1.PooledEstimate;
import org.covidrisk.ingest.v1.CohortRequest;
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
    XrayTraining xray;

    @Inject
    EnsembleConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    AdmissionCohort admissions;

    public ModelVersion train(Caller caller, TrainRequest request) {
        if (ScoringService.cohort(request.getCohort()) == Cohort.XRAY) {
            return xray.train(caller, request);
        }
        String learner = request.getLearner().isBlank() ? "logistic" : request.getLearner();
        if (!Learners.NAMES.contains(learner)) {
            throw GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "unknown learner " + learner,
                    List.of(new Violation("learner", "supported: " + String.join(", ", Learners.NAMES))));
        }
        Cohort cohort = ScoringService.cohort(request.getCohort());
        int stage = ScoringService.stage(cohort, request.getStage());
        long seed = request.getSeed() == 0 ? config.defaultSeed() : request.getSeed();
        long started = System.nanoTime();
        List<String> hospitals = new ArrayList<>();
        FeatureSet[] set = new FeatureSet[1];
        TrainingData data = cohort == Cohort.ADMISSIONS
                ? admissions.trainingData(caller, hospitals, set)
                : load(caller, stage, request, hospitals, set);
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
        boolean imputeInputs = Learners.imputesInputs(learner);

        // complete vectors: the inputs of non-tree learners, and the similarity search of the meta-features
        TrainingData trainComplete = train;
        TrainingData holdComplete = holdout;
        TrainingData dataComplete = data;
        Imputer imputer = null;
        Map<String, Object> imputation = null;
        if (imputeInputs || meta) {
            ImputationOptions options = ImputationOptions.newBuilder()
                    .setImputations(config.imputation().imputations())
                    .setIterations(config.imputation().iterations()).setSeed(seed).build();
            FitImputerResponse fitTrain = features.fitImputer(caller, set[0], train.rows(), train.died(), options,
                    config.trainCallTimeout());
            trainComplete = completed(train, ImputedInputs.mean(fitTrain.getImputationsList(), train.size()));
            // the hold-out is imputed as new patients are: by the training split's imputer, without its outcome
            holdComplete = completed(holdout, impute(caller, fitTrain.getImputer(), holdout.rows(), seed));
            // the deployed model's imputer learns from every row
            FitImputerResponse fitAll = features.fitImputer(caller, set[0], data.rows(), data.died(), options,
                    config.trainCallTimeout());
            dataComplete = completed(data, ImputedInputs.mean(fitAll.getImputationsList(), data.size()));
            imputer = fitAll.getImputer();
            imputation = imputationProvenance(fitAll, options, imputeInputs);
        }
        TrainingData trainIn = imputeInputs ? trainComplete : train;
        TrainingData holdIn = imputeInputs ? holdComplete : holdout;
        TrainingData dataIn = imputeInputs ? dataComplete : data;
        PopulationSnapshot population = null;
        if (meta) {
            // meta-features of the training rows come from the training rows only (each leaving itself out);
            // hold-out rows are compared with the training rows: no outcome crosses the split
            PopulationSnapshot trainPop = snapshot(trainComplete);
            trainIn = withMeta(trainIn, features.metaFeatures(caller, k, trainPop, List.of(),
                    config.trainCallTimeout()));
            holdIn = withMeta(holdIn, features.metaFeatures(caller, k, trainPop, holdComplete.rows(),
                    config.trainCallTimeout()));
            population = snapshot(dataComplete);
            dataIn = withMeta(dataIn, features.metaFeatures(caller, k, population, List.of(),
                    config.trainCallTimeout()));
        }
        double[] holdoutP = lr.fit(trainIn).predict(holdIn.rows());
        Evaluation evaluation = Evaluation.of(holdoutP, holdIn.died());
        Map<String, Double> metrics = evaluation.metrics();
        String[] holdoutHospitals = java.util.Arrays.stream(split[1]).mapToObj(hospitals::get)
                .toArray(String[]::new);
        List<Map<String, Object>> featureAnalysis = featureAnalysis(trainIn);
        FittedModel model = lr.fit(dataIn);
        train = trainIn;
        holdout = holdIn;
        data = dataIn;

        ModelVersion v = new ModelVersion();
        v.modelId = UUID.randomUUID().toString();
        v.learner = learner;
        v.stage = stage;
        v.cohort = cohort.name();
        v.featureSet = cohort == Cohort.ADMISSIONS ? set[0].getName() : "plos-stage-" + stage;
        v.featureNames = String.join(",", data.featureNames());
        v.nTrain = data.size();
        v.nDeaths = data.deaths();
        v.createdAt = Instant.now();
        v.createdBy = caller.username();
        v.artifact = model.serialize();
        v.missingValues = imputeInputs ? ModelVersion.MISSING_MICE : ModelVersion.MISSING_KEEP;
        if (imputer != null) {
            v.imputer = imputer.toByteArray();
        }
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
        if (model instanceof GamLearner.Trained g) {
            provenance.put("gam", Map.of("penalty", g.penalty(), "effectiveDegreesOfFreedom",
                    g.effectiveDegreesOfFreedom()));
        }
        if (model instanceof TribuoFitted t) {
            provenance.put("featuresUsed", t.usedFeatures());
            provenance.put("tribuoProvenance", t.tribuoProvenance());
        }
        provenance.put("rows", data.size());
        provenance.put("deaths", data.deaths());
        provenance.put("dataSha256", data.sha256());
        provenance.put("cohort", cohort == Cohort.ADMISSIONS
                ? AdmissionCohort.PROVENANCE
                : Map.of("hospitalisedOnly", request.getHospitalisedOnly(), "confirmedOnly",
                        request.getConfirmedOnly()));
        provenance.put("seed", seed);
        provenance.put("missingValues", v.missingValues);
        provenance.put("imputation", imputation == null ? false : imputation);
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
        LOG.infof("model %s (%s) stage %d v%d trained on %d rows (%d deaths), hold-out AUROC %.3f, by %s",
                stored.modelId, cohort, stage, stored.version, data.size(), data.deaths(), metrics.get("auroc"),
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

    /** The data set with its rows replaced by their completed versions. */
    private static TrainingData completed(TrainingData d, List<double[]> rows) {
        return new TrainingData(d.featureNames(), rows, d.died());
    }

    /** Rows completed by a fitted imputer (the mean of its m draws), in batches of the featurisation size. */
    private List<double[]> impute(Caller caller, Imputer imputer, List<double[]> rows, long seed) {
        List<double[]> out = new ArrayList<>(rows.size());
        for (int from = 0; from < rows.size(); from += config.featureBatchSize()) {
            List<double[]> batch = rows.subList(from, Math.min(rows.size(), from + config.featureBatchSize()));
            out.addAll(ImputedInputs.mean(features.impute(caller, imputer, batch, seed, config.trainCallTimeout())
                    .getImputationsList(), batch.size()));
        }
        return out;
    }

    private static Map<String, Object> imputationProvenance(FitImputerResponse fit, ImputationOptions options,
            boolean imputeInputs) {
        Map<String, Integer> missing = new LinkedHashMap<>();
        for (PooledEstimate e : fit.getPooledMeansList()) {
            if (e.getMissing() > 0) {
                missing.put(e.getFeature(), e.getMissing());
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("method", "MICE by feature-service FitImputer (outcome a predictor at training only)");
        out.put("modelInputs", imputeInputs
                ? "cell-wise mean of the m completed matrices; scoring averages a patient's m completed rows"
                : "NaN kept (tree learner); completed vectors feed the meta-features' similarity search only");
        out.put("imputations", options.getImputations());
        out.put("iterations", options.getIterations());
        out.put("seed", options.getSeed());
        out.put("holdout", "imputed by the imputer fitted on the training split, without the outcome");
        out.put("deployedImputer", "fitted on all rows; stored with the model (column imputer)");
        out.put("imputerFormat", fit.getImputer().getFormat());
        out.put("missingCells", missing);
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

    /** The cohort's feature vectors with missing inputs kept as NaN; {@code set[0]} receives their layout. */
    private TrainingData load(Caller caller, int stage, TrainRequest request, List<String> hospitals,
            FeatureSet[] set) {
        CohortRequest cohort = CohortRequest.newBuilder().setHospitalisedOnly(request.getHospitalisedOnly())
                .setConfirmedOnly(request.getConfirmedOnly()).build();
        return featurized(ingest.cohort(caller, cohort), batch -> features.featurize(caller, stage, batch, false,
                MissingValues.MISSING_VALUES_KEEP, config.trainCallTimeout()), config.featureBatchSize(),
                hospitals, set);
    }

    /**
     * Streamed records featurised batch by batch (DGE patients or admission records): the rows with their outcomes;
     * each row's hospital is appended to {@code hospitals} and {@code set[0]} receives the layout.
     */
    static <R> TrainingData featurized(Iterator<R> it, Function<List<R>, FeaturizeResponse> featurize,
            int batchSize, List<String> hospitals, FeatureSet[] set) {
        List<String> names = null;
        List<double[]> rows = new ArrayList<>();
        List<Boolean> died = new ArrayList<>();
        List<R> batch = new ArrayList<>(batchSize);
        while (true) {
            boolean more = it.hasNext();
            if (more) {
                batch.add(it.next());
            }
            if (batch.size() == batchSize || (!more && !batch.isEmpty())) {
                FeaturizeResponse f = featurize.apply(batch);
                if (names == null) {
                    names = f.getFeatureSet().getFeaturesList().stream().map(FeatureSpec::getName).toList();
                    set[0] = f.getFeatureSet();
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
