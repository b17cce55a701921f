package org.covidrisk.ensemble.mapping;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.covidrisk.ensemble.Cohort;
import org.covidrisk.ensemble.ModelPromotion;
import org.covidrisk.ensemble.ModelVersion;
import org.covidrisk.ensemble.v1.ModelInfo;
import org.covidrisk.ensemble.v1.Promotion;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Registry rows to their gRPC messages. */
@ApplicationScoped
public class ModelMapper {

    /** Provenance key of the per-hospital hold-out metrics that models trained before reports carried. */
    public static final String PER_HOSPITAL = "perHospital";

    @Inject
    ObjectMapper json;

    /**
     * The model's description.
     *
     * @param everyHospital false for a caller restricted to some hospitals: the per-hospital hold-out metrics
     *        that older models keep in their provenance are then left out
     */
    public ModelInfo info(ModelVersion v, boolean everyHospital) {
        Map<String, Double> metrics;
        try {
            metrics = json.readValue(v.metricsJson, new TypeReference<Map<String, Double>>() {
            });
        } catch (Exception e) {
            metrics = Map.of();
        }
        ModelInfo.Builder b = ModelInfo.newBuilder().setModelId(v.modelId).setVersion(v.version)
                .setLearner(v.learner).setStage(v.stage).setFeatureSet(v.featureSet).setNTrain(v.nTrain)
                .setNDeaths(v.nDeaths).setProvenanceJson(everyHospital ? v.provenanceJson : redacted(v))
                .setCreatedAt(v.createdAt.toString()).setCreatedBy(v.createdBy).setActive(v.active)
                .setCohort(Cohort.valueOf(v.cohort).proto());
        metrics.forEach((k, val) -> {
            if (val != null && !val.isNaN()) {
                b.putMetrics(k, val);
            }
        });
        return b.build();
    }

    public Promotion promotion(ModelPromotion p) {
        Promotion.Builder b = Promotion.newBuilder().setModelId(p.modelId).setVersion(p.version).setStage(p.stage)
                .setCohort(Cohort.valueOf(p.cohort).proto()).setReason(p.reason == null ? "" : p.reason);
        if (p.previousModelId != null) {
            b.setPreviousModelId(p.previousModelId).setPreviousVersion(p.previousVersion);
        }
        if (p.promotedBy != null) {
            b.setPromotedBy(p.promotedBy);
        }
        if (p.promotedAt != null) {
            b.setPromotedAt(p.promotedAt.toString());
        }
        return b.build();
    }

    private String redacted(ModelVersion v) {
        try {
            JsonNode node = json.readTree(v.provenanceJson);
            if (node instanceof ObjectNode o && o.has(PER_HOSPITAL)) {
                o.remove(PER_HOSPITAL);
                return json.writeValueAsString(o);
            }
            return v.provenanceJson;
        } catch (Exception e) {
            // unreadable provenance cannot be filtered: withhold it rather than leak another hospital's figures
            return "{}";
        }
    }
}
