package org.covidrisk.gateway.rest;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.covidrisk.ensemble.v1.ModelInfo;
import org.covidrisk.ensemble.v1.PromoteRequest;
import org.covidrisk.ensemble.v1.TrainRequest;
import org.covidrisk.ensemble.v1.TrainingCohort;
import org.covidrisk.gateway.audit.AuditAction;
import org.covidrisk.gateway.audit.Audited;
import org.covidrisk.gateway.client.EnsembleClient;
import org.covidrisk.gateway.mapping.Cohorts;
import org.covidrisk.gateway.mapping.Views.ModelView;
import org.covidrisk.gateway.mapping.Views.PromotionView;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.security.Roles;
import org.eclipse.microprofile.openapi.annotations.Operation;

import io.grpc.Status;

/** The model registry (ensemble-service). */
@Path("/api/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

    /**
     * A training order. {@code learner}: logistic (default), lasso, lightgbm, random-forest, knn, svm, mlp, stage-nn
     * or stacking; {@code stackWithBaseFeatures} gives a stack's meta-learner the base features too; {@code cohort}:
     * dge (default, clinical stages 1-4), admissions (admission records, no stage) or xray.
     */
    public record TrainCommand(String learner, @Min(1) @Max(4) Integer stage, Long seed, Boolean hospitalisedOnly,
            Boolean confirmedOnly, Boolean promote, Boolean populationMetaFeatures,
            @Min(1) @Max(1000) Integer neighbours, Boolean stackWithBaseFeatures, String cohort) {
    }

    @Inject
    EnsembleClient ensemble;

    @Inject
    CurrentCaller caller;

    @POST
    @RolesAllowed(Roles.MODEL_ADMIN)
    @Audited(AuditAction.TRAIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Train a model on the stored cohort; promote it to make it the active model of its stage")
    public ModelView train(@Valid TrainCommand command) {
        TrainCommand c = command == null
                ? new TrainCommand(null, null, null, null, null, null, null, null, null, null)
                : command;
        TrainingCohort cohort = Cohorts.parse(c.cohort());
        TrainRequest.Builder r = TrainRequest.newBuilder().setLearner(c.learner() == null ? "logistic" : c.learner())
                .setCohort(cohort).setStage(PatientResource.stageOf(cohort, c.stage()))
                .setSeed(c.seed() == null ? 0 : c.seed())
                .setHospitalisedOnly(Boolean.TRUE.equals(c.hospitalisedOnly()))
                .setConfirmedOnly(Boolean.TRUE.equals(c.confirmedOnly()))
                .setPromote(c.promote() == null || c.promote())
                .setPopulationMetaFeatures(Boolean.TRUE.equals(c.populationMetaFeatures()))
                .setNeighbours(c.neighbours() == null ? 0 : c.neighbours())
                .setStackWithBaseFeatures(Boolean.TRUE.equals(c.stackWithBaseFeatures()));
        return ModelView.of(ensemble.train(caller.get(), r.build()));
    }

    @GET
    @RolesAllowed({Roles.MODEL_ADMIN, Roles.ANALYST, Roles.NETWORK_ANALYST})
    @Operation(summary = "Every model version, newest first, with metrics and provenance")
    public List<ModelView> list() {
        var visible = caller.hospitalVisible();
        return ensemble.models(caller.get()).getModelsList().stream().map(m -> ModelView.of(m, visible)).toList();
    }

    @GET
    @Path("/compare")
    @RolesAllowed({Roles.MODEL_ADMIN, Roles.ANALYST, Roles.NETWORK_ANALYST})
    @Operation(summary = "Two or more model versions side by side (comma-separated ids), in the order asked")
    public List<ModelView> compare(@QueryParam("ids") String ids) {
        List<String> wanted = ids == null
                ? List.of()
                : Arrays.stream(ids.split(",")).map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
        if (wanted.size() < 2 || wanted.size() > 20) {
            throw GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "name 2 to 20 model ids to compare",
                    List.of(new GrpcProblems.Violation("ids", "2 to 20 comma-separated model ids")));
        }
        Map<String, ModelInfo> byId = new LinkedHashMap<>();
        ensemble.models(caller.get()).getModelsList().forEach(m -> byId.put(m.getModelId(), m));
        List<String> unknown = wanted.stream().filter(id -> !byId.containsKey(id)).toList();
        if (!unknown.isEmpty()) {
            throw GrpcProblems.of(Status.Code.NOT_FOUND, "no model " + String.join(", ", unknown),
                    unknown.stream().map(id -> new GrpcProblems.Violation("ids", "no model " + id)).toList());
        }
        var visible = caller.hospitalVisible();
        return wanted.stream().map(id -> ModelView.of(byId.get(id), visible)).toList();
    }

    /** Why a model is promoted, for the audit trail. */
    public record PromoteCommand(@Size(max = 500) String reason) {
    }

    @POST
    @Path("/{modelId}/promote")
    @RolesAllowed(Roles.MODEL_ADMIN)
    @Audited(value = AuditAction.PROMOTE, pathParam = "modelId")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Make a model version the active one of its stage; answers what it replaced")
    public PromotionView promote(@PathParam("modelId") String modelId, PromoteCommand command) {
        String reason = command == null || command.reason() == null ? "" : command.reason();
        return PromotionView.of(ensemble.promote(caller.get(), PromoteRequest.newBuilder().setModelId(modelId)
                .setReason(reason).build()));
    }

    @GET
    @Path("/promotions")
    @RolesAllowed({Roles.MODEL_ADMIN, Roles.ANALYST, Roles.NETWORK_ANALYST})
    @Operation(summary = "Every promotion, newest first (stage 0: every stage; cohort dge, admissions or xray: only that cohort's)")
    public List<PromotionView> promotions(@QueryParam("stage") @DefaultValue("0") @Min(0) @Max(4) int stage,
            @QueryParam("cohort") String cohort) {
        TrainingCohort c = cohort == null || cohort.isBlank() ? null : Cohorts.parse(cohort);
        return ensemble.promotions(caller.get(), stage, c).getPromotionsList().stream().map(PromotionView::of)
                .toList();
    }
}
