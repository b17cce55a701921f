package org.covidrisk.gateway.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.covidrisk.gateway.audit.AuditAction;
import org.covidrisk.gateway.audit.Audited;
import org.covidrisk.gateway.client.IngestClient;
import org.covidrisk.gateway.mapping.OutcomeInput;
import org.covidrisk.gateway.mapping.Views.UploadReportView;
import org.covidrisk.ingest.v1.RecordOutcomesRequest;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.security.Roles;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import io.grpc.Status;

/** Outcomes that arrive after admission (ingest-service). */
@Path("/api/v1/outcomes")
@Produces(MediaType.APPLICATION_JSON)
public class OutcomeResource {

    @Inject
    IngestClient ingest;

    @Inject
    CurrentCaller caller;

    @POST
    @RolesAllowed(Roles.DATA_STEWARD)
    @Audited(value = AuditAction.OUTCOMES, header = "Batch-Id")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Record deaths and discharges learnt after admission, as one batch", description = "Each updates its admission and is kept with its arrival time, so earlier predictions can be "
            + "joined to it. All or none (or, with quarantine=true, the valid ones); the same Batch-Id with the "
            + "same list is a replay, with another list 409. Problems name outcomes[i].field.")
    public UploadReportView record(
            @Parameter(description = "client-chosen batch id (idempotency key)", required = true) @HeaderParam("Batch-Id") String batchId,
            @Parameter(description = "apply the valid updates and quarantine the others") @QueryParam("quarantine") boolean quarantine,
            @NotNull List<OutcomeInput> outcomes) {
        if (batchId == null || batchId.isBlank()) {
            throw GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "the Batch-Id header is required",
                    List.of(new GrpcProblems.Violation("Batch-Id", "missing")));
        }
        RecordOutcomesRequest request = RecordOutcomesRequest.newBuilder().setBatchId(batchId.strip())
                .setQuarantineInvalidRows(quarantine).addAllOutcomes(OutcomeInput.toUpdates(outcomes)).build();
        return UploadReportView.of(ingest.recordOutcomes(caller.withHospital(), request));
    }
}
