package org.covidrisk.ensemble.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.covidrisk.ensemble.Cohort;
import org.covidrisk.ensemble.ModelVersion;
import org.covidrisk.ensemble.config.EnsembleConfig;
import org.covidrisk.ensemble.evaluation.Evaluation;
import org.covidrisk.ensemble.evaluation.GroupMetrics;
import org.covidrisk.ensemble.evaluation.HoldoutPredictions;
import org.covidrisk.ensemble.evaluation.HypothesisTest;
import org.covidrisk.ensemble.evaluation.ReliabilityDiagram;
import org.covidrisk.ensemble.evaluation.ReliabilityProfile;
import org.covidrisk.ensemble.evaluation.RocCurve;
import org.covidrisk.ensemble.learn.MlpLearner;
import org.covidrisk.ensemble.mapping.ModelMapper;
import org.covidrisk.ensemble.v1.CalibrationBin;
import org.covidrisk.ensemble.v1.ErrorCurvePoint;
import org.covidrisk.ensemble.v1.FeatureStat;
import org.covidrisk.ensemble.v1.HospitalReport;
import org.covidrisk.ensemble.v1.HypothesisTestReport;
import org.covidrisk.ensemble.v1.ReliabilityBin;
import org.covidrisk.ensemble.v1.Report;
import org.covidrisk.ensemble.v1.ReportRequest;
import org.covidrisk.ensemble.v1.RocPoint;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.grpc.GrpcProblems.Violation;
import org.covidrisk.platform.security.Caller;
import org.covidrisk.platform.security.Roles;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grpc.Status;

/**
 * A model's performance report. Figures that depend on patients (metrics, curves, per-hospital rows) are computed
 * from the model's stored hold-out predictions over the hospitals the caller may see: an analyst's own hospitals,
 * every hospital for a network analyst or model admin. The feature analysis describes the model's inputs over its
 * whole training split.
 */
@ApplicationScoped
public class ReportService {

    @Inject
    ModelRegistry registry;

    @Inject
    ModelMapper mapper;

    @Inject
    EnsembleConfig config;

    @Inject
    ObjectMapper json;

    public Report report(Caller caller, ReportRequest request) {
        boolean everyHospital = seesEveryHospital(caller);
        if (!everyHospital && caller.hospitals().isEmpty()) {
            throw GrpcProblems.of(Status.Code.PERMISSION_DENIED, "your account has no hospital");
        }
        ModelVersion model = model(request);
        JsonNode provenance = provenance(model);
        Report.Builder out = Report.newBuilder().setModel(mapper.info(model, everyHospital));
        String scope;
        var stored = registry.holdout(model.modelId);
        if (stored.isPresent()) {
            HoldoutPredictions h = everyHospital ? stored.get() : stored.get().of(caller.hospitals());
            scope = everyHospital
                    ? "every hospital"
                    : "the hospitals of your account (" + h.size() + " of " + stored.get().size() + " hold-out rows)";
            fromPredictions(out, model, h);
        } else {
            scope = fromProvenance(out, model, provenance, everyHospital, caller.hospitals());
        }
        out.addAllFeatureAnalysis(featureAnalysis(provenance));
        return out.setHoldout(holdout(provenance) + "; figures over " + scope).build();
    }

    /** Network analysts and model admins see every hospital; analysts their own. */
    public static boolean seesEveryHospital(Caller caller) {
        return caller.hasRole(Roles.MODEL_ADMIN) || caller.hasRole(Roles.NETWORK_ANALYST);
    }

    private ModelVersion model(ReportRequest request) {
        if (!request.getModelId().isBlank()) {
            return registry.find(request.getModelId()).orElseThrow(() -> GrpcProblems.of(Status.Code.NOT_FOUND,
                    "no model " + request.getModelId(), List.of(new Violation("model_id", "unknown model"))));
        }
        Cohort cohort = ScoringService.cohort(request.getCohort());
        int stage = ScoringService.stage(cohort, request.getStage());
        return registry.activeVersion(cohort, stage).orElseThrow(() -> GrpcProblems.of(Status.Code.NOT_FOUND,
                "no active " + cohort.name().toLowerCase() + " model for stage " + stage,
                List.of(new Violation("stage", "no active model"))));
    }

    private void fromPredictions(Report.Builder out, ModelVersion model, HoldoutPredictions h) {
        if (h.size() == 0) {
            return;
        }
        Evaluation e = Evaluation.of(h.p(), h.died());
        putFinite(e.metrics(), out::putMetrics);
        for (GroupMetrics g : GroupMetrics.byGroup(h.p(), h.died(), h.hospitals())) {
            out.addHospitals(hospital(g));
        }
        for (ReliabilityProfile.Bin b : e.reliabilityProfile().bins()) {
            out.addReliabilityProfile(ReliabilityBin.newBuilder().setLower(b.lower()).setUpper(b.upper())
                    .setN(b.count()).setHitRate(b.hitShare()));
        }
        for (ReliabilityDiagram.Bin b : e.reliability().bins()) {
            out.addReliabilityDiagram(CalibrationBin.newBuilder().setMeanPredicted(b.meanPredicted())
                    .setObservedRate(b.observedRate()).setN(b.count()));
        }
        for (RocCurve.Point p : thin(e.roc().points(), config.reportRocPoints())) {
            out.addRoc(RocPoint.newBuilder().setFalsePositiveRate(p.fpr()).setTruePositiveRate(p.tpr())
                    .setThreshold(p.threshold()));
        }
        if (MlpLearner.STAGE_NN.equals(model.learner)) {
            HypothesisTest t = e.hypothesisTest();
            HypothesisTestReport.Builder r = HypothesisTestReport.newBuilder().setEstimator("softmax")
                    .setAlpha(t.targetAlpha()).setCriticalBound(t.criticalBound()).setTypeI(t.typeIError())
                    .setTypeIi(t.typeIIError());
            for (HypothesisTest.Point p : t.curve()) {
                r.addCurve(ErrorCurvePoint.newBuilder().setBound(p.bound()).setTypeI(p.typeIError())
                        .setTypeIi(p.typeIIError()));
            }
            out.setHypothesisTest(r);
        }
    }

    /**
     * Models trained before hold-out predictions were stored: their provenance holds network-wide figures and
     * per-hospital metrics. A caller restricted to some hospitals gets only those hospitals' rows.
     */
    private String fromProvenance(Report.Builder out, ModelVersion model, JsonNode provenance,
            boolean everyHospital, List<String> hospitals) {
        try {
            for (GroupMetrics g : json.convertValue(provenance.path(ModelMapper.PER_HOSPITAL),
                    new TypeReference<List<GroupMetrics>>() {
                    })) {
                if (everyHospital || hospitals.contains(g.group())) {
                    out.addHospitals(hospital(g));
                }
            }
            if (!everyHospital) {
                return "the hospital rows of your account only (this model's hold-out predictions were not stored, "
                        + "so pooled figures cannot be restricted to your hospitals)";
            }
            putFinite(json.readValue(model.metricsJson, new TypeReference<Map<String, Double>>() {
            }), out::putMetrics);
            if (provenance.has("reliabilityProfile")) {
                for (ReliabilityProfile.Bin b : json.treeToValue(provenance.get("reliabilityProfile"),
                        ReliabilityProfile.class).bins()) {
                    out.addReliabilityProfile(ReliabilityBin.newBuilder().setLower(b.lower()).setUpper(b.upper())
                            .setN(b.count()).setHitRate(b.hitShare()));
                }
            }
            if (provenance.has("calibration")) {
                for (ReliabilityDiagram.Bin b : json.treeToValue(provenance.get("calibration"),
                        ReliabilityDiagram.class).bins()) {
                    out.addReliabilityDiagram(CalibrationBin.newBuilder().setMeanPredicted(b.meanPredicted())
                            .setObservedRate(b.observedRate()).setN(b.count()));
                }
            }
        } catch (JsonProcessingException | IllegalArgumentException e) {
            // an older provenance layout: report what could be read
        }
        return "every hospital (from the model's provenance: its hold-out predictions were not stored)";
    }

    private static HospitalReport.Builder hospital(GroupMetrics g) {
        HospitalReport.Builder b = HospitalReport.newBuilder().setHospital(g.group()).setN(g.n())
                .setDeaths(g.deaths()).setMortalityRate(g.mortalityRate());
        putFinite(g.metrics(), b::putMetrics);
        return b;
    }

    private List<FeatureStat> featureAnalysis(JsonNode provenance) {
        List<FeatureStat> out = new ArrayList<>();
        for (JsonNode f : provenance.path("featureAnalysis")) {
            out.add(FeatureStat.newBuilder().setFeature(f.path("feature").asText())
                    .setMutualInformation(number(f.path("mutualInformation")))
                    .setPearson(number(f.path("pearson"))).build());
        }
        return out;
    }

    /** How the hold-out was made, from the model's provenance. */
    private static String holdout(JsonNode provenance) {
        JsonNode e = provenance.path("evaluation");
        if (e.isMissingNode()) {
            return "hold-out not recorded";
        }
        return String.format(Locale.ROOT,
                "%s: %.0f%% of %d rows held out (%d hold-out, %d training rows), seed %d; the deployed model is "
                        + "refit on all rows",
                e.path("split").asText("stratified hold-out"), 100 * e.path("holdoutFraction").asDouble(),
                e.path("trainRows").asLong() + e.path("holdoutRows").asLong(), e.path("holdoutRows").asLong(),
                e.path("trainRows").asLong(), provenance.path("seed").asLong());
    }

    /**
     * At most {@code max} points of a curve, evenly spaced along it, first and last kept: a hold-out of tens of
     * thousands of distinct probabilities would otherwise send a point per patient.
     */
    static List<RocCurve.Point> thin(List<RocCurve.Point> points, int max) {
        if (points.size() <= max || max < 2) {
            return points;
        }
        List<RocCurve.Point> out = new ArrayList<>(max);
        for (int k = 0; k < max; k++) {
            out.add(points.get((int) Math.round((double) k * (points.size() - 1) / (max - 1))));
        }
        return out;
    }

    private JsonNode provenance(ModelVersion v) {
        try {
            return json.readTree(v.provenanceJson);
        } catch (JsonProcessingException e) {
            return json.createObjectNode();
        }
    }

    private static double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : n.isTextual() ? parse(n.asText()) : Double.NaN;
    }

    private static double parse(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static void putFinite(Map<String, Double> metrics, java.util.function.BiConsumer<String, Double> put) {
        metrics.forEach((k, v) -> {
            if (v != null && Double.isFinite(v)) {
                put.accept(k, v);
            }
        });
    }
}
