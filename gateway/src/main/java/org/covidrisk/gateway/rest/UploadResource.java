package org.covidrisk.gateway.rest;

import java.io.InputStream;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.covidrisk.gateway.audit.AuditAction;
import org.covidrisk.gateway.audit.Audited;
import org.covidrisk.gateway.client.IngestClient;
import org.covidrisk.gateway.mapping.Views.QuarantineView;
import org.covidrisk.gateway.mapping.Views.UploadReportView;
import org.covidrisk.gateway.mapping.Views.UploadStatusView;
import org.covidrisk.ingest.v1.AdmissionFormat;
import org.covidrisk.ingest.v1.AdmissionUploadHeader;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.security.Roles;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import io.grpc.Status;

/** Data uploads (ingest-service). */
@Path("/api/v1/uploads")
@Produces(MediaType.APPLICATION_JSON)
public class UploadResource {

    private static final String BATCH_ID = "client-chosen batch id (idempotency key)";
    private static final String QUARANTINE = "store the valid records and quarantine the invalid ones instead of "
            + "refusing the batch";
    private static final String SOURCE = "what the patient ids are unique within (A-Z 0-9 _, at most 16); default "
            + "per format";

    @Inject
    IngestClient ingest;

    @Inject
    CurrentCaller caller;

    @POST
    @Path("/dge")
    @RolesAllowed(Roles.DATA_STEWARD)
    @Audited(value = AuditAction.UPLOAD, header = "Batch-Id")
    @Consumes({"text/csv", "application/zip", MediaType.APPLICATION_OCTET_STREAM})
    @Operation(summary = "Upload a Mexican DGE open-data CSV (2020 or 2022 layout, plain or zipped) as one batch", description = "All rows or none (or, with quarantine=true, the valid ones). Every row must belong to a "
            + "hospital of your account. Re-sending the same batch id with the same bytes stores nothing twice; "
            + "other bytes under a known id: 409.")
    public UploadReportView uploadDge(
            @Parameter(description = BATCH_ID, required = true) @HeaderParam("Batch-Id") String batchId,
            @Parameter(description = "original file name, for the report") @QueryParam("fileName") String fileName,
            @Parameter(description = QUARANTINE) @QueryParam("quarantine") boolean quarantine,
            InputStream body) {
        return UploadReportView.of(ingest.upload(caller.withHospital(), batchId(batchId), fileName, quarantine,
                body));
    }

    // --- Admission records (issue 3) ---

    @POST
    @Path("/admissions")
    @RolesAllowed(Roles.DATA_STEWARD)
    @Audited(value = AuditAction.UPLOAD, header = "Batch-Id")
    @Consumes({"text/csv", "application/zip", MediaType.APPLICATION_OCTET_STREAM})
    @Operation(summary = "Upload admissions in the suite's admission CSV (see the ingest-service README) as one batch", description = "One admission per row with its hospital, vital signs, laboratory results (units converted) "
            + "and outcome. Same batch rules as the DGE upload; a known patient (source, hospital, id) is updated.")
    public UploadReportView uploadAdmissions(
            @Parameter(description = BATCH_ID, required = true) @HeaderParam("Batch-Id") String batchId,
            @Parameter(description = "original file name, for the report") @QueryParam("fileName") String fileName,
            @Parameter(description = QUARANTINE) @QueryParam("quarantine") boolean quarantine,
            @Parameter(description = SOURCE) @QueryParam("source") String source, InputStream body) {
        return admissions(batchId, fileName, quarantine, source, AdmissionFormat.ADMISSION_FORMAT_ADMISSION_CSV, "",
                body);
    }

    @POST
    @Path("/tongji")
    @RolesAllowed(Roles.DATA_STEWARD)
    @Audited(value = AuditAction.UPLOAD, header = "Batch-Id")
    @Consumes({"text/csv", "application/zip", MediaType.APPLICATION_OCTET_STREAM})
    @Operation(summary = "Import the Tongji Hospital export (Yan et al. 2020) as one batch", description = "Serial labs with PATIENT_ID on each patient's first row and Excel serial dates; a record per "
            + "patient with the first value of each laboratory analyte within the admission window. The export "
            + "names no hospital: give one of your account's.")
    public UploadReportView uploadTongji(
            @Parameter(description = BATCH_ID, required = true) @HeaderParam("Batch-Id") String batchId,
            @Parameter(description = "hospital of every record; one of your account's", required = true) @QueryParam("hospital") String hospital,
            @Parameter(description = "original file name, for the report") @QueryParam("fileName") String fileName,
            @Parameter(description = QUARANTINE) @QueryParam("quarantine") boolean quarantine,
            @Parameter(description = SOURCE) @QueryParam("source") String source, InputStream body) {
        if (hospital == null || hospital.isBlank()) {
            throw GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "the hospital query parameter is required",
                    List.of(new GrpcProblems.Violation("hospital", "missing")));
        }
        return admissions(batchId, fileName, quarantine, source, AdmissionFormat.ADMISSION_FORMAT_TONGJI, hospital
                .strip(), body);
    }

    @POST
    @Path("/fhir")
    @RolesAllowed(Roles.DATA_STEWARD)
    @Audited(value = AuditAction.UPLOAD, header = "Batch-Id")
    @Consumes({"application/fhir+json", MediaType.APPLICATION_JSON, "application/fhir+ndjson",
            "application/x-ndjson"})
    @Operation(summary = "Upload FHIR R4 Bundles (one, or several one per line) as one batch", description = "Patient, Encounter, Observation (LOINC) and Condition (SNOMED CT, ICD-10) resources; each "
            + "Patient with its Encounter is one admission. A Bundle with a problem is refused (or quarantined) "
            + "whole.")
    public UploadReportView uploadFhir(
            @Parameter(description = BATCH_ID, required = true) @HeaderParam("Batch-Id") String batchId,
            @Parameter(description = "original file name, for the report") @QueryParam("fileName") String fileName,
            @Parameter(description = QUARANTINE) @QueryParam("quarantine") boolean quarantine,
            @Parameter(description = SOURCE) @QueryParam("source") String source, InputStream body) {
        return admissions(batchId, fileName, quarantine, source, AdmissionFormat.ADMISSION_FORMAT_FHIR_BUNDLE, "",
                body);
    }

    @GET
    @Path("/{batchId}")
    @RolesAllowed(Roles.DATA_STEWARD)
    @Operation(summary = "Where one of your uploads stands", description = "receiving (bytes so far), storing (rows read so far), stored (with the report) or refused (with "
            + "the reason); 404 for batch ids you did not upload.")
    public UploadStatusView status(@PathParam("batchId") String batchId) {
        return UploadStatusView.of(ingest.uploadStatus(caller.get(), batchId.strip()));
    }

    @GET
    @Path("/{batchId}/quarantine")
    @RolesAllowed(Roles.DATA_STEWARD)
    @Operation(summary = "The quarantine report of one of your batches", description = "Line, column and reason of every skipped row, never its values, a page at a time.")
    public QuarantineView quarantine(@PathParam("batchId") String batchId,
            @Parameter(description = "problems per page (default 500, at most 5000)") @QueryParam("pageSize") int pageSize,
            @Parameter(description = "token of the next page, from the previous one") @QueryParam("pageToken") String pageToken) {
        return QuarantineView.of(ingest.quarantine(caller.get(), batchId.strip(), pageSize, pageToken));
    }

    private UploadReportView admissions(String batchId, String fileName, boolean quarantine, String source,
            AdmissionFormat format, String hospital, InputStream body) {
        AdmissionUploadHeader header = AdmissionUploadHeader.newBuilder().setBatchId(batchId(batchId)).setFileName(
                fileName == null ? "" : fileName).setQuarantineInvalidRows(quarantine).setFormat(format).setHospital(
                        hospital)
                .setSource(source == null ? "" : source.strip()).build();
        return UploadReportView.of(ingest.uploadAdmissions(caller.withHospital(), header, body));
    }

    private static String batchId(String batchId) {
        if (batchId == null || batchId.isBlank()) {
            throw GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "the Batch-Id header is required",
                    List.of(new GrpcProblems.Violation("Batch-Id", "missing")));
        }
        return batchId.strip();
    }
}
