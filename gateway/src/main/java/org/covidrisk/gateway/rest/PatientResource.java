package org.covidrisk.gateway.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.covidrisk.ensemble.v1.ScoreRequest;
import org.covidrisk.gateway.client.EnsembleClient;
import org.covidrisk.gateway.client.IngestClient;
import org.covidrisk.gateway.mapping.AdmissionInput;
import org.covidrisk.gateway.mapping.Views.PatientView;
import org.covidrisk.gateway.mapping.Views.ScoreView;
import org.covidrisk.platform.security.Roles;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Patients and their risk scores, always within the caller's hospital. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class PatientResource {

    @Inject
    IngestClient ingest;

    @Inject
    EnsembleClient ensemble;

    @Inject
    CurrentCaller caller;

    @GET
    @Path("/patients/{id}")
    @RolesAllowed(Roles.CLINICIAN)
    @Operation(summary = "A stored patient of your hospital (404 for any other)")
    public PatientView patient(@PathParam("id") String id) {
        return PatientView.of(ingest.patient(caller.withHospital(), id));
    }

    @POST
    @Path("/patients/{id}/score")
    @RolesAllowed(Roles.CLINICIAN)
    @Operation(summary = "Risk of in-hospital death of a stored patient of your hospital, at a clinical stage")
    public ScoreView scoreStored(@PathParam("id") String id,
            @QueryParam("stage") @DefaultValue("4") @Min(1) @Max(4) int stage) {
        return ScoreView.of(ensemble.score(caller.withHospital(),
                ScoreRequest.newBuilder().setPatientId(id).setStage(stage).build()));
    }

    @POST
    @Path("/scores")
    @RolesAllowed(Roles.CLINICIAN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Risk of in-hospital death of a patient entered at the bedside (not stored)")
    public ScoreView scoreAdHoc(@QueryParam("stage") @DefaultValue("4") @Min(1) @Max(4) int stage,
            @NotNull @Valid AdmissionInput input) {
        return ScoreView.of(ensemble.score(caller.withHospital(),
                ScoreRequest.newBuilder().setPatient(input.toRecord()).setStage(stage).build()));
    }
}
