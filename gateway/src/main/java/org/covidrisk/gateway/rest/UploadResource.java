package org.covidrisk.gateway.rest;

import java.io.InputStream;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
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
import org.covidrisk.gateway.mapping.Views.UploadReportView;
import org.covidrisk.platform.security.Roles;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import io.grpc.Status;

/** Data uploads (ingest-service). */
@Path("/api/v1/uploads")
@Produces(MediaType.APPLICATION_JSON)
public class UploadResource {

    @Inject
    IngestClient ingest;

    @Inject
    CurrentCaller caller;

    @POST
    @Path("/dge")
    @RolesAllowed(Roles.DATA_STEWARD)
    @Audited(value = AuditAction.UPLOAD, header = "Batch-Id")
    @Consumes({"text/csv", "application/zip", MediaType.APPLICATION_OCTET_STREAM})
    @Operation(summary = "Upload a Mexican DGE open-data CSV (2020 or 2022 layout, plain or zipped) as one batch", description = "All rows or none. Every row must belong to a hospital of your account. Re-sending the "
            + "same batch id with the same bytes stores nothing twice; other bytes under a known id: 409.")
    public UploadReportView uploadDge(
            @Parameter(description = "client-chosen batch id (idempotency key)", required = true) @HeaderParam("Batch-Id") String batchId,
            @Parameter(description = "original file name, for the report") @QueryParam("fileName") String fileName,
            InputStream body) {
        if (batchId == null || batchId.isBlank()) {
            throw org.covidrisk.platform.grpc.GrpcProblems.of(Status.Code.INVALID_ARGUMENT,
                    "the Batch-Id header is required",
                    java.util.List.of(new org.covidrisk.platform.grpc.GrpcProblems.Violation("Batch-Id", "missing")));
        }
        return UploadReportView.of(ingest.upload(caller.withHospital(), batchId.strip(), fileName, body));
    }
}
