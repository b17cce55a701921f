package org.covidrisk.gateway.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.covidrisk.ensemble.v1.TrainRequest;
import org.covidrisk.gateway.client.EnsembleClient;
import org.covidrisk.gateway.mapping.Views.ModelView;
import org.covidrisk.platform.security.Roles;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The model registry (ensemble-service). */
@Path("/api/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

    /**
     * A training order. {@code learner}: logistic (default), lasso, lightgbm, random-forest, knn, svm, mlp, stage-nn
     * or stacking; {@code stackWithBaseFeatures} gives a stack's meta-learner the base features too.
     */
    public record TrainCommand(String learner, @Min(1) @Max(4) Integer stage, Long seed, Boolean hospitalisedOnly,
            Boolean confirmedOnly, Boolean promote, Boolean populationMetaFeatures,
            @Min(1) @Max(1000) Integer neighbours, Boolean stackWithBaseFeatures) {
    }

    @Inject
    EnsembleClient ensemble;

    @Inject
    CurrentCaller caller;

    @POST
    @RolesAllowed(Roles.MODEL_ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Train a model on the stored cohort; promote it to make it the active model of its stage")
    public ModelView train(@Valid TrainCommand command) {
        TrainCommand c = command == null
                ? new TrainCommand(null, null, null, null, null, null, null, null, null)
                : command;
        TrainRequest.Builder r = TrainRequest.newBuilder().setLearner(c.learner() == null ? "logistic" : c.learner())
                .setStage(c.stage() == null ? 4 : c.stage()).setSeed(c.seed() == null ? 0 : c.seed())
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
        return ensemble.models(caller.get()).getModelsList().stream().map(ModelView::of).toList();
    }
}
