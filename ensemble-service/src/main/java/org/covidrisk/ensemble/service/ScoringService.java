package org.covidrisk.ensemble.service;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.covidrisk.ensemble.Cohort;
import org.covidrisk.ensemble.ModelVersion;
import org.covidrisk.ensemble.client.FeatureClient;
import org.covidrisk.ensemble.client.IngestClient;
import org.covidrisk.ensemble.config.EnsembleConfig;
import org.covidrisk.ensemble.evaluation.ReliabilityProfile;
import org.covidrisk.ensemble.learn.FittedModel;
import org.covidrisk.ensemble.learn.LightGbmLearner;
import org.covidrisk.ensemble.learn.StackingLearner;
import org.covidrisk.ensemble.v1.Contribution;
import org.covidrisk.ensemble.v1.ScoreRequest;
import org.covidrisk.ensemble.v1.ScoreResponse;
import org.covidrisk.ensemble.v1.TrainingCohort;
import org.covidrisk.feature.v1.FeatureRow;
import org.covidrisk.feature.v1.FeatureSpec;
import org.covidrisk.feature.v1.FeaturizeResponse;
import org.covidrisk.feature.v1.ImputeResponse;
import org.covidrisk.feature.v1.MissingValues;
import org.covidrisk.ingest.v1.AdmissionRecord;
import org.covidrisk.ingest.v1.PatientRecord;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.grpc.GrpcProblems.Violation;
import org.covidrisk.platform.security.Caller;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grpc.Status;

/** Scores one patient with the active model of the requested stage. */
@ApplicationScoped
public class ScoringService {

    @Inject
    IngestClient ingest;

    @Inject
    FeatureClient features;

    @Inject
    XrayScoring xrayScoring;

    @Inject
    ModelRegistry registry;

    @Inject
    AdmissionCohort admissions;

    @Inject
    EnsembleConfig config;

    @Inject
    ObjectMapper json;

    /** The cohort of a request; a value this version does not know is an invalid argument. */
    public static Cohort cohort(TrainingCohort proto) {
        if (proto == TrainingCohort.UNRECOGNIZED) {
            throw GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "unknown cohort",
                    List.of(new Violation("cohort", "supported: dge, admissions, xray")));
        }
        return Cohort.of(proto);
    }

    /**
     * The stage a request means for a cohort, checked: DGE 1-4 (0 means 4), admissions 0 only (admission records
     * have no clinical stages), X-ray 0-4 (0: the second layer without clinical input, CNN + age + sex).
     */
    public static int stage(Cohort cohort, int requested) {
        int stage = cohort == Cohort.DGE && requested == 0 ? 4 : requested;
        int lowest = cohort == Cohort.DGE ? 1 : 0;
        int highest = cohort == Cohort.ADMISSIONS ? Cohort.ADMISSION_STAGE : 4;
        if (stage < lowest || stage > highest) {
            String range = lowest == highest ? String.valueOf(lowest) : lowest + "-" + highest;
            throw GrpcProblems.of(Status.Code.INVALID_ARGUMENT, cohort == Cohort.ADMISSIONS
                    ? "admission models have no clinical stage; leave stage unset"
                    : "stage must be " + range + " with cohort " + cohort.name().toLowerCase(),
                    List.of(new Violation("stage", "must be " + range + " for the " + cohort.name().toLowerCase()
                            + " cohort")));
        }
        return stage;
    }

    public ScoreResponse score(Caller caller, ScoreRequest request) {
        Cohort cohort = cohort(request.getCohort());
        if (cohort == Cohort.ADMISSIONS) {
            return scoreAdmission(caller, request);
        }
        if (request.getSubjectCase() == ScoreRequest.SubjectCase.ADMISSION) {
            throw GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "admission records are scored by the admissions "
                    + "cohort's model", List.of(new Violation("cohort", "must be ADMISSIONS for an admission record")));
        }
        boolean xrayAsked = cohort == Cohort.XRAY;
        int stage = stage(cohort, request.getStage());
        PatientRecord record = switch (request.getSubjectCase()) {
            // ingest answers NOT_FOUND for another hospital's patient: tenancy is enforced where the data lives
            case PATIENT_ID -> ingest.patient(caller, request.getPatientId());
            case PATIENT -> adHoc(caller, request.getPatient());
            case ADMISSION -> throw new IllegalStateException("refused above");
            case SUBJECT_NOT_SET -> throw GrpcProblems.of(Status.Code.INVALID_ARGUMENT,
                    "give a patient id or a patient record", List.of(new Violation("patient", "missing")));
        };
        Clinical clinical = null;
        if (stage > 0) {
            ModelRegistry.Loaded model = registry.active(stage).orElseThrow(() -> GrpcProblems.of(
                    Status.Code.FAILED_PRECONDITION, "no active model for stage " + stage
                            + "; a model-admin must train and promote one",
                    List.of(new Violation("stage", "no active model"))));
            clinical = clinical(caller, model, stage, record);
        }
        // X-ray second layer: required when the cohort is XRAY, applied on top of the clinical score otherwise
        XrayScoring.Result xray = xrayScoring.score(caller, record, stage, clinical, xrayAsked);
        ModelVersion used = xray.used() ? xray.version() : clinical.model().version();
        double p = xray.used() ? xray.probability() : clinical.probability();
        ScoreResponse.Builder out = answer(used, p)
                .setCohort(xray.used() ? Cohort.XRAY.proto() : cohort.proto())
                .setClinicalProbability(xray.used() && clinical != null ? clinical.probability() : Double.NaN);
        if (!xray.used()) {
            // SHAP explains the clinical model's own probability; a combined score has no tree to explain
            out.addAllExplanation(explain(clinical.model().model(), clinical.inputs()));
        }
        return out.setPatientId(record.getPatientId()).setHospital(record.getHospital())
                .setProbability(p).setStage(stage).setModelId(used.modelId)
                .setModelVersion(used.version).addAllImputed(clinical == null ? List.of() : clinical.imputed())
                .setImageUsed(xray.used()).setImageNote(xray.note())
                .build();
    }

    /** An admission record scored by the active admissions model (stage 0; admission models use no X-ray). */
    private ScoreResponse scoreAdmission(Caller caller, ScoreRequest request) {
        int stage = stage(Cohort.ADMISSIONS, request.getStage());
        // ingest answers NOT_FOUND for another hospital's admission: tenancy is enforced where the data lives
        AdmissionRecord admission = admissions.subject(caller, request);
        ModelRegistry.Loaded model = registry.active(Cohort.ADMISSIONS, stage).orElseThrow(() -> GrpcProblems.of(
                Status.Code.FAILED_PRECONDITION, "no active admissions model; a model-admin must train and promote"
                        + " one",
                List.of(new Violation("cohort", "no active model"))));
        Clinical c = clinical(caller, model, stage, admissions.featurize(caller, admission));
        return answer(model.version(), c.probability()).setCohort(Cohort.ADMISSIONS.proto())
                .setClinicalProbability(Double.NaN)
                .addAllExplanation(explain(model.model(), c.inputs()))
                .setPatientId(admission.getPatientId()).setHospital(admission.getHospital())
                .setProbability(c.probability()).setStage(stage).setModelId(model.version().modelId)
                .setModelVersion(model.version().version).addAllImputed(c.imputed())
                .setImageUsed(false).setImageNote("admission models use no X-ray").build();
    }

    /** The parts of an answer every path shares: learner, the confidence bin's hit rate and the abstain flag. */
    private ScoreResponse.Builder answer(ModelVersion used, double p) {
        ScoreResponse.Builder out = ScoreResponse.newBuilder().setLearner(used.learner);
        ReliabilityProfile profile = profile(used);
        ReliabilityProfile.Bin bin = profile == null ? null : profile.binFor(p);
        if (bin == null || bin.count() == 0) {
            out.setConfidenceBinHitRate(Double.NaN);
        } else {
            out.setConfidenceBinHitRate(bin.hitShare());
            if (bin.hitShare() < config.abstainBelowHitRate()) {
                out.setAbstain(true).setAbstainReason(String.format(java.util.Locale.ROOT,
                        "on the model's hold-out patients, scores this confident (%.2f-%.2f) were right %.0f%% of "
                                + "the time, below the %.0f%% floor: refer to clinical judgement",
                        bin.lower(), bin.upper(), 100 * bin.hitShare(), 100 * config.abstainBelowHitRate()));
            }
        }
        return out;
    }

    /**
     * A clinical stage model's score of one patient.
     *
     * @param inputs the row the model scored (imputed and with meta-features where the model uses them)
     * @param imputed the inputs that were missing and filled in
     */
    public record Clinical(ModelRegistry.Loaded model, double probability, double[] inputs, List<String> imputed) {
    }

    /** Scores a patient with the given DGE stage model, featurised (and imputed) as the model was trained. */
    public Clinical clinical(Caller caller, ModelRegistry.Loaded model, int stage, PatientRecord record) {
        boolean legacy = ModelVersion.MISSING_FILL.equals(model.version().missingValues);
        return clinical(caller, model, stage, features.featurize(caller, stage, List.of(record), true, legacy
                ? MissingValues.MISSING_VALUES_FILL
                : MissingValues.MISSING_VALUES_KEEP, config.scoreCallTimeout()));
    }

    /** Scores one featurised row (DGE stage features or admission features) with the model it was made for. */
    private Clinical clinical(Caller caller, ModelRegistry.Loaded model, int stage, FeaturizeResponse f) {
        ModelVersion version = model.version();
        boolean legacy = ModelVersion.MISSING_FILL.equals(version.missingValues);
        List<String> names = new java.util.ArrayList<>(f.getFeatureSet().getFeaturesList().stream()
                .map(FeatureSpec::getName).toList());
        if (model.population() != null) {
            names.addAll(TrainingService.META_FEATURES);
        }
        if (!names.equals(model.model().featureNames())) {
            throw GrpcProblems.of(Status.Code.FAILED_PRECONDITION, "the active model of " + version.cohort
                    .toLowerCase() + " stage " + stage + " was trained on another feature set version; retrain it");
        }
        FeatureRow row = f.getRows(0);
        double[] x = new double[row.getValuesCount()];
        for (int i = 0; i < x.length; i++) {
            x[i] = row.getValues(i);
        }
        // models stored before imputation got fixed fills from feature-service, and list them
        List<String> imputed = legacy ? row.getImputedList() : List.of();
        double[] complete = x;
        if (model.imputer() != null) {
            // seeded by the model, so that the same patient always gets the same score
            ImputeResponse r = features.impute(caller, model.imputer(), List.<double[]>of(x),
                    version.modelId.hashCode(), config.scoreCallTimeout());
            complete = ImputedInputs.mean(r.getImputationsList(), 1).get(0);
            if (ModelVersion.MISSING_MICE.equals(version.missingValues)) {
                x = complete;
                imputed = r.getImputedCount() == 0 ? List.of() : r.getImputed(0).getFeaturesList();
            }
        }
        if (model.population() != null) {
            // compared with the training population of the model in use
            double[] meta = features.metaFeatures(caller, version.metaK, model.population(),
                    List.<double[]>of(complete), config.scoreCallTimeout()).get(0);
            double[] withMeta = java.util.Arrays.copyOf(x, x.length + meta.length);
            System.arraycopy(meta, 0, withMeta, x.length, meta.length);
            x = withMeta;
        }
        return new Clinical(model, model.model().predict(x), x, imputed);
    }

    private final Map<String, Optional<ReliabilityProfile>> profiles = new ConcurrentHashMap<>();

    /** The reliability profile stored in a model's provenance (null for models trained before it existed). */
    private ReliabilityProfile profile(ModelVersion v) {
        return profiles.computeIfAbsent(v.modelId, id -> {
            try {
                JsonNode node = json.readTree(v.provenanceJson).get("reliabilityProfile");
                return node == null
                        ? Optional.empty()
                        : Optional.of(json.treeToValue(node, ReliabilityProfile.class));
            } catch (JsonProcessingException | IllegalArgumentException e) {
                return Optional.empty();
            }
        }).orElse(null);
    }

    /** Tree SHAP contributions of a LightGBM model, or of the LightGBM base of a stack; largest first. */
    private List<Contribution> explain(FittedModel model, double[] x) {
        LightGbmLearner.Trained gbm = null;
        double[] input = x;
        if (model instanceof LightGbmLearner.Trained t) {
            gbm = t;
        } else if (model instanceof StackingLearner.Trained st) {
            for (FittedModel b : st.baseModels()) {
                if (b instanceof LightGbmLearner.Trained t && LightGbmLearner.NAME.equals(t.learner())) {
                    gbm = t;
                    input = st.baseRow(x);
                }
            }
        }
        if (gbm == null) {
            return List.of();
        }
        double[] c = gbm.contributions(input);
        List<Contribution> out = new java.util.ArrayList<>();
        for (int i = 0; i < input.length; i++) {
            out.add(Contribution.newBuilder().setFeature(gbm.featureNames().get(i)).setValue(input[i])
                    .setContribution(c[i]).build());
        }
        out.sort((a, b) -> Double.compare(Math.abs(b.getContribution()), Math.abs(a.getContribution())));
        return List.copyOf(out.subList(0, Math.min(config.explanationSize(), out.size())));
    }

    /** An ad-hoc record always belongs to the caller's hospital: the body cannot choose it. */
    private static PatientRecord adHoc(Caller caller, PatientRecord given) {
        String id = given.getPatientId().isBlank() ? "ad-hoc" : given.getPatientId();
        return given.toBuilder().setPatientId(id).setHospital(homeHospital(caller)).build();
    }

    /** The hospital an ad-hoc record is scored for: the caller's home hospital (refused when there is none). */
    static String homeHospital(Caller caller) {
        if (caller.homeHospital() == null) {
            throw GrpcProblems.of(Status.Code.PERMISSION_DENIED, "your account has no hospital");
        }
        return caller.homeHospital();
    }
}
