package org.covidrisk.ensemble.service;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.covidrisk.ensemble.Cohort;
import org.covidrisk.ensemble.ModelVersion;
import org.covidrisk.ensemble.client.ImagingClient;
import org.covidrisk.ensemble.config.EnsembleConfig;
import org.covidrisk.ensemble.learn.XraySecondLayer;
import org.covidrisk.imaging.v1.ScoreImageResponse;
import org.covidrisk.ingest.v1.PatientRecord;
import org.covidrisk.ingest.v1.Sex;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.grpc.GrpcProblems.Violation;
import org.covidrisk.platform.security.Caller;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Applies the active X-ray second layer of a stage (trained by {@link XrayTraining}) to a patient: the CNN score of
 * the patient's latest stored X-ray (imaging-service), age, sex and, for stages 1-4, the clinical model's score.
 * <p>
 * When the caller asked for the X-ray cohort every missing piece is an error (no model, no image, imaging busy);
 * for a DGE request the second layer is applied on top of the clinical score when it can be, and otherwise the
 * clinical score stands with {@code image_note} saying why (the contract's ScoreRequest.cohort).
 */
@ApplicationScoped
public class XrayScoring {

    private static final Logger LOG = Logger.getLogger(XrayScoring.class);

    @Inject
    ImagingClient imaging;

    @Inject
    ModelRegistry registry;

    @Inject
    EnsembleConfig config;

    @Inject
    ObjectMapper json;

    /**
     * Whether the second layer scored.
     *
     * @param version the X-ray model that scored; null when it did not
     * @param note the image note of the response: what was combined, or why not
     */
    public record Result(boolean used, ModelVersion version, double probability, String note) {
        static Result notUsed(String note) {
            return new Result(false, null, Double.NaN, note);
        }
    }

    /**
     * @param clinical the clinical score of the stage; null for stage 0 (the second layer without clinical input)
     * @param required true when the X-ray cohort was asked for: failures are thrown instead of noted
     */
    public Result score(Caller caller, PatientRecord record, int stage, ScoringService.Clinical clinical,
            boolean required) {
        Optional<ModelRegistry.Loaded> active = registry.active(Cohort.XRAY, stage);
        if (active.isEmpty()) {
            if (required) {
                throw GrpcProblems.of(Status.Code.FAILED_PRECONDITION, "no active X-ray second-layer model for"
                        + " stage " + stage + "; a model-admin must train one with cohort xray and promote it",
                        List.of(new Violation("stage", "no active X-ray model")));
            }
            ScoreImageResponse image = imaging.score(caller, record.getPatientId(), record.getHospital());
            return Result.notUsed(image.getHasImage()
                    ? "an X-ray score exists but no X-ray second-layer model is active for stage " + stage
                    : image.getReason());
        }
        ModelRegistry.Loaded model = active.get();
        String problem = null;
        String field = "patient";
        String trainedOn = clinicalModelId(model.version());
        if (clinical != null && !clinical.model().version().modelId.equals(trainedOn)) {
            problem = "the active X-ray model (v" + model.version().version + ") was trained on another clinical"
                    + " model than the active one of stage " + stage + "; retrain it";
            field = "stage";
        } else if (!record.hasAge()) {
            problem = "the X-ray second layer needs the patient's age";
            field = "age";
        } else if (record.getSex() != Sex.SEX_FEMALE && record.getSex() != Sex.SEX_MALE) {
            problem = "the X-ray second layer needs the patient's sex";
            field = "sex";
        }
        if (problem != null) {
            if (required) {
                throw GrpcProblems.of(Status.Code.FAILED_PRECONDITION, problem,
                        List.of(new Violation(field, "needed by the X-ray model")));
            }
            return Result.notUsed(problem + "; clinical score only");
        }
        ScoreImageResponse image;
        try {
            image = imaging.scoreOrFail(caller, record.getPatientId(), record.getHospital(),
                    config.scoreCallTimeout());
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            if (required) {
                throw code == Status.Code.RESOURCE_EXHAUSTED
                        ? GrpcProblems.of(code, "imaging-service is busy (its queue is full): retry the X-ray score"
                                + " shortly, or ask for the clinical score (cohort dge)")
                        : GrpcProblems.of(code, "imaging-service could not score the X-ray: " + code);
            }
            LOG.warnf("imaging-service answered %s; scoring with the clinical model only", code);
            return Result.notUsed((code == Status.Code.RESOURCE_EXHAUSTED
                    ? "imaging service busy"
                    : "imaging service unavailable") + " (" + code + "): clinical score only");
        }
        if (!image.getHasImage()) {
            if (required) {
                throw GrpcProblems.of(Status.Code.FAILED_PRECONDITION, "no X-ray score for this patient: "
                        + image.getReason(), List.of(new Violation("patient", "no stored X-ray")));
            }
            return Result.notUsed(image.getReason());
        }
        double p = model.model().predict(XraySecondLayer.row(image.getProbability(), record.getAge(),
                record.getSex() == Sex.SEX_MALE, clinical != null, clinical == null
                        ? Double.NaN
                        : clinical.probability()));
        return new Result(true, model.version(), p, String.format(java.util.Locale.ROOT,
                "X-ray %s scored %.3f by CNN %s; combined with age, sex%s by the second layer",
                shortHash(image.getImageSha256()), image.getProbability(), image.getModelVersion(),
                clinical == null ? "" : " and the clinical score"));
    }

    private static String shortHash(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) : sha;
    }

    private final Map<String, String> clinicalModels = new ConcurrentHashMap<>();

    /** The id of the clinical model an X-ray model was trained on ("" for stage 0), from its provenance. */
    String clinicalModelId(ModelVersion v) {
        return clinicalModels.computeIfAbsent(v.modelId, id -> {
            try {
                JsonNode node = json.readTree(v.provenanceJson).path("clinicalModel").path("modelId");
                return node.asText("");
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("the provenance of X-ray model " + id + " cannot be read", e);
            }
        });
    }
}
