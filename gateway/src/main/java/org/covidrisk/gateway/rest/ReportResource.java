package org.covidrisk.gateway.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.covidrisk.ensemble.v1.ReportRequest;
import org.covidrisk.gateway.audit.AuditAction;
import org.covidrisk.gateway.audit.AuditContext;
import org.covidrisk.gateway.audit.Audited;
import org.covidrisk.gateway.client.EnsembleClient;
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
    @Operation(summary = "Hold-out report of a model (default: the active model of the stage)", description = "Analysts see the per-hospital rows of their own hospitals only; network analysts and model admins see every hospital.")
    public JsonNode report(@QueryParam("stage") @DefaultValue("4") @Min(1) @Max(4) int stage,
            @QueryParam("modelId") String modelId) {
        audit.target(modelId == null || modelId.isBlank() ? "active stage " + stage : modelId);
        var report = ensemble.report(caller.get(), ReportRequest.newBuilder().setStage(stage)
                .setModelId(modelId == null ? "" : modelId.strip()).build());
        audit.detail("model " + report.getModel().getModelId() + " v" + report.getModel().getVersion() + ", "
                + report.getHospitalsCount() + " hospital rows sent by the service");
        return Views.report(report, caller.hospitalVisible());
    }
}
