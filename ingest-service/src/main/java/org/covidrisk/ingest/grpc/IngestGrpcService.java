package org.covidrisk.ingest.grpc;

import java.nio.file.Path;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;

import org.covidrisk.ingest.config.IngestConfig;
import org.covidrisk.ingest.image.ImageGrpc;
import org.covidrisk.ingest.service.AdmissionQueryService;
import org.covidrisk.ingest.service.PatientQueryService;
import org.covidrisk.ingest.service.UploadProgress;
import org.covidrisk.ingest.service.UploadService;
import org.covidrisk.ingest.v1.CohortRequest;
import org.covidrisk.ingest.v1.GetImageRequest;
import org.covidrisk.ingest.v1.GetPatientRequest;
import org.covidrisk.ingest.v1.ImageChunk;
import org.covidrisk.ingest.v1.ImageInfo;
import org.covidrisk.ingest.v1.ImageUploadChunk;
import org.covidrisk.ingest.v1.IngestServiceGrpc;
import org.covidrisk.ingest.v1.ListPatientsRequest;
import org.covidrisk.ingest.v1.ListPatientsResponse;
import org.covidrisk.ingest.v1.ListQuarantineRequest;
import org.covidrisk.ingest.v1.ListQuarantineResponse;
import org.covidrisk.ingest.v1.PatientRecord;
import org.covidrisk.ingest.v1.UploadChunk;
import org.covidrisk.ingest.v1.UploadHeader;
import org.covidrisk.ingest.v1.UploadReport;
import org.covidrisk.ingest.v1.UploadStatus;
import org.covidrisk.ingest.v1.UploadStatusRequest;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.grpc.GrpcProblems.Violation;
import org.covidrisk.platform.security.Caller;
import org.covidrisk.platform.security.Roles;
import org.jboss.logging.Logger;

import com.google.protobuf.ByteString;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;

/** gRPC face of ingest-service. The caller's token is verified by Quarkus OIDC before any method runs. */
@GrpcService
public class IngestGrpcService extends IngestServiceGrpc.IngestServiceImplBase {

    private static final Logger LOG = Logger.getLogger(IngestGrpcService.class);

    @Inject
    SecurityIdentity identity;

    @Inject
    UploadService uploads;

    @Inject
    PatientQueryService patients;

    @Inject
    IngestConfig config;

    @Inject
    UploadProgress progress;

    @Inject
    AdmissionQueryService admissions;

    @Inject
    ImageGrpc images;

    @Override
    @Blocking
    @RolesAllowed(Roles.DATA_STEWARD)
    public StreamObserver<UploadChunk> uploadDge(StreamObserver<UploadReport> response) {
        Caller caller = Caller.of(identity);
        return new DgeReceiver(caller, response);
    }

    @Override
    @Blocking
    @RolesAllowed(Roles.DATA_STEWARD)
    public void getUploadStatus(UploadStatusRequest request, StreamObserver<UploadStatus> response) {
        Caller caller = Caller.of(identity);
        var status = uploads.status(caller, request.getBatchId().strip());
        if (status.isEmpty()) {
            // Same answer for "unknown" and "someone else's": batch ids of other stewards are not disclosed.
            response.onError(GrpcProblems.of(Status.Code.NOT_FOUND, "no upload " + request.getBatchId()
                    + " of yours", List.of(new Violation("batchId", "not found"))));
            return;
        }
        response.onNext(status.get());
        response.onCompleted();
    }

    @Override
    @Blocking
    @RolesAllowed({Roles.CLINICIAN, Roles.MODEL_ADMIN})
    public void getPatient(GetPatientRequest request, StreamObserver<PatientRecord> response) {
        Caller caller = Caller.of(identity);
        var found = patients.find(caller, request.getPatientId());
        if (found.isEmpty()) {
            // Same answer for "absent" and "another hospital's": existence is not disclosed across tenants.
            response.onError(GrpcProblems.of(Status.Code.NOT_FOUND, "no patient " + request.getPatientId()
                    + " in your hospital(s)", List.of(new Violation("patientId", "not found"))));
            return;
        }
        response.onNext(found.get());
        response.onCompleted();
    }

    @Override
    @Blocking
    @RolesAllowed(Roles.CLINICIAN)
    public void listPatients(ListPatientsRequest request, StreamObserver<ListPatientsResponse> response) {
        Caller caller = Caller.of(identity);
        int size = request.getPageSize() == 0 ? DEFAULT_PAGE_SIZE : request.getPageSize();
        if (size < 1 || size > MAX_PAGE_SIZE) {
            response.onError(GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "page size must be 1-" + MAX_PAGE_SIZE,
                    List.of(new Violation("pageSize", "must be between 1 and " + MAX_PAGE_SIZE))));
            return;
        }
        List<String> hospitals = caller.hospitals();
        String hospital = request.getHospital().strip();
        if (!hospital.isEmpty()) {
            if (!caller.belongsTo(hospital)) {
                response.onError(GrpcProblems.of(Status.Code.PERMISSION_DENIED, "hospital " + hospital
                        + " is not one of yours", List.of(new Violation("hospital", "not in your token"))));
                return;
            }
            hospitals = List.of(hospital);
        }
        if (hospitals.isEmpty()) {
            response.onError(GrpcProblems.of(Status.Code.PERMISSION_DENIED, "your token names no hospital"));
            return;
        }
        String after;
        try {
            after = PageTokens.decode(request.getPageToken());
        } catch (IllegalArgumentException e) {
            response.onError(GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "the page token is not one of ours",
                    List.of(new Violation("pageToken", "malformed"))));
            return;
        }
        var page = patients.page(hospitals, after, size);
        response.onNext(ListPatientsResponse.newBuilder().addAllPatients(page.patients())
                .setNextPageToken(PageTokens.encode(page.lastKey())).setTotal(page.total()).build());
        response.onCompleted();
    }

    /** Page size when the request names none. */
    static final int DEFAULT_PAGE_SIZE = 50;
    /** Largest page (proto contract). */
    static final int MAX_PAGE_SIZE = 500;

    @Override
    @Blocking
    @RolesAllowed(Roles.MODEL_ADMIN)
    public void streamCohort(CohortRequest request, StreamObserver<PatientRecord> response) {
        long sent = patients.streamCohort(request, response::onNext);
        LOG.infof("cohort streamed: %d records", sent);
        response.onCompleted();
    }

    @Override
    @Blocking
    // data-steward, checked in ImageGrpc: a @RolesAllowed refusal of a client-streaming @Blocking method never
    // reaches the client (it waits for an answer until its deadline)
    public StreamObserver<ImageUploadChunk> uploadImage(StreamObserver<ImageInfo> response) {
        return images.upload(Caller.of(identity), response);
    }

    @Override
    @Blocking
    @RolesAllowed({Roles.CLINICIAN, Roles.MODEL_ADMIN})
    public void getImage(GetImageRequest request, StreamObserver<ImageChunk> response) {
        images.get(Caller.of(identity), request, response);
    }

    /** A DGE file: the header names the batch and the mode; the file says its layout. */
    private final class DgeReceiver extends SpoolingReceiver<UploadChunk, UploadHeader> {
        DgeReceiver(Caller caller, StreamObserver<UploadReport> response) {
            super(caller, response, config, progress);
        }

        @Override
        protected UploadHeader headerOf(UploadChunk chunk) {
            return chunk.hasHeader() ? chunk.getHeader() : null;
        }

        @Override
        protected ByteString dataOf(UploadChunk chunk) {
            return chunk.getData();
        }

        @Override
        protected String batchIdOf(UploadHeader header) {
            return header.getBatchId();
        }

        @Override
        protected UploadReport store(UploadHeader header, String batchId, Path file, byte[] sha256,
                UploadProgress.Entry tracker) {
            return uploads.store(caller, batchId, header.getFileName(), file, sha256, header
                    .getQuarantineInvalidRows(), tracker);
        }
    }

    // --- Quarantine report (issue 3) ---

    @Override
    @Blocking
    @RolesAllowed(Roles.DATA_STEWARD)
    public void listQuarantine(ListQuarantineRequest request, StreamObserver<ListQuarantineResponse> response) {
        Caller caller = Caller.of(identity);
        try {
            var page = admissions.quarantine(caller, request.getBatchId().strip(), request.getPageSize(), request
                    .getPageToken());
            if (page.isEmpty()) {
                response.onError(GrpcProblems.of(Status.Code.NOT_FOUND, "no upload " + request.getBatchId()
                        + " of yours", List.of(new Violation("batchId", "not found"))));
                return;
            }
            response.onNext(page.get());
            response.onCompleted();
        } catch (AdmissionQueryService.BadRequest e) {
            response.onError(GrpcProblems.of(Status.Code.INVALID_ARGUMENT, e.getMessage(), List.of(new Violation(e
                    .field(), e.getMessage()))));
        }
    }
}
