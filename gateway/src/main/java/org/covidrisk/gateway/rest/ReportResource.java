package org.covidrisk.gateway.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.covidrisk.ensemble.v1.ReportRequest;
import org.covidrisk.ensemble.v1.TrainingCohort;
import org.covidrisk.gateway.audit.AuditAction;
import org.covidrisk.gateway.audit.AuditContext;
import org.covidrisk.gateway.audit.Audited;
import org.covidrisk.gateway.client.EnsembleClient;
import org.covidrisk.gateway.mapping.Cohorts;
import org.covidrisk.gateway.mapping.Views;
import org.covidrisk.platform.security.Roles;
import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.databind.JsonNode;

/** Model performance reports (ensemble-service). */
@Path("/api/v1/reports")
@Produces(MediaType.APPLICATION_JSON)
public class ReportResource {

    @Inject
    EnsembleClient ensemble;

    @Inject
    CurrentCaller caller;

    @Inject
    AuditContext audit;

    @GET
    @RolesAllowed({Roles.ANALYST, Roles.NETWORK_ANALYST, Roles.MODEL_ADMIN})
    @Audited(AuditAction.REPORT_READ)
    @Operation(summary = "Hold-out report of a model (default: the active model of the cohort and stage)", description = "cohort: dge (default; stage 1-4, default 4), admissions (no stage) or xray (stage 0-4). Analysts see the per-hospital rows of their own hospitals only; network analysts and model admins see every hospital.")
    public JsonNode report(@QueryParam("stage") @Min(0) @Max(4) Integer stage, @QueryParam("modelId") String modelId,
            @QueryParam("cohort") String cohort) {
        TrainingCohort c = Cohorts.parse(cohort);
        int s = PatientResource.stageOf(c, stage);
        String active = c == TrainingCohort.TRAINING_COHORT_DGE ? "active" : "active " + Cohorts.name(c);
        audit.target(modelId == null || modelId.isBlank() ? active + " stage " + s : modelId);
        var report = ensemble.report(caller.get(), ReportRequest.newBuilder().setStage(s).setCohort(c)
                .setModelId(modelId == null ? "" : modelId.strip()).build());
        audit.detail("model " + report.getModel().getModelId() + " v" + report.getModel().getVersion() + ", "
                + report.getHospitalsCount() + " hospital rows sent by the service");
        return Views.report(report, caller.hospitalVisible());
    }
}
