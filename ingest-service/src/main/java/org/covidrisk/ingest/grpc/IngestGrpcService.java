package org.covidrisk.ingest.grpc;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;

import org.covidrisk.ingest.config.IngestConfig;
import org.covidrisk.ingest.service.PatientQueryService;
import org.covidrisk.ingest.service.UploadProgress;
import org.covidrisk.ingest.service.UploadRefusedException;
import org.covidrisk.ingest.service.UploadService;
import org.covidrisk.ingest.v1.CohortRequest;
import org.covidrisk.ingest.v1.GetPatientRequest;
import org.covidrisk.ingest.v1.IngestServiceGrpc;
import org.covidrisk.ingest.v1.ListPatientsRequest;
import org.covidrisk.ingest.v1.ListPatientsResponse;
import org.covidrisk.ingest.v1.PatientRecord;
import org.covidrisk.ingest.v1.UploadChunk;
import org.covidrisk.ingest.v1.UploadReport;
import org.covidrisk.ingest.v1.UploadStatus;
import org.covidrisk.ingest.v1.UploadStatusRequest;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.grpc.GrpcProblems.Violation;
import org.covidrisk.platform.security.Caller;
import org.covidrisk.platform.security.Roles;
import org.jboss.logging.Logger;

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

    @Override
    @Blocking
    @RolesAllowed(Roles.DATA_STEWARD)
    public StreamObserver<UploadChunk> uploadDge(StreamObserver<UploadReport> response) {
        Caller caller = Caller.of(identity);
        return new UploadReceiver(caller, response);
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

    /** Spools the chunks to a temporary file (never the heap), then validates and stores the batch. */
    private final class UploadReceiver implements StreamObserver<UploadChunk> {
        private final Caller caller;
        private final StreamObserver<UploadReport> response;
        private String batchId;
        private String fileName;
        private Path file;
        private OutputStream out;
        private MessageDigest digest;
        private long bytes;
        private boolean failed;
        private boolean quarantine;
        private UploadProgress.Entry tracker;

        UploadReceiver(Caller caller, StreamObserver<UploadReport> response) {
            this.caller = caller;
            this.response = response;
        }

        @Override
        public void onNext(UploadChunk chunk) {
            if (failed) {
                return;
            }
            try {
                if (chunk.hasHeader()) {
                    if (batchId != null) {
                        fail(Status.Code.INVALID_ARGUMENT, "the header was sent twice", "header");
                        return;
                    }
                    batchId = chunk.getHeader().getBatchId().strip();
                    fileName = chunk.getHeader().getFileName();
                    quarantine = chunk.getHeader().getQuarantineInvalidRows();
                    if (batchId.isEmpty() || batchId.length() > 128 || !batchId.matches("[A-Za-z0-9._:-]+")) {
                        fail(Status.Code.INVALID_ARGUMENT, "batch id must be 1-128 characters of A-Z a-z 0-9 . _ : -",
                                "batchId");
                        return;
                    }
                    file = Files.createTempFile("ingest-", ".upload");
                    out = Files.newOutputStream(file);
                    digest = MessageDigest.getInstance("SHA-256");
                    tracker = progress.start(batchId, caller.username());
                    return;
                }
                if (out == null) {
                    fail(Status.Code.INVALID_ARGUMENT, "the first message must be the header", "header");
                    return;
                }
                byte[] data = chunk.getData().toByteArray();
                bytes += data.length;
                if (bytes > config.maxUploadBytes()) {
                    fail(Status.Code.RESOURCE_EXHAUSTED, "the upload exceeds " + config.maxUploadBytes() + " bytes",
                            "file");
                    return;
                }
                digest.update(data);
                out.write(data);
                tracker.received(bytes);
            } catch (IOException | NoSuchAlgorithmException e) {
                LOG.error("cannot spool upload", e);
                fail(Status.Code.INTERNAL, "the upload could not be spooled", "file");
            }
        }

        @Override
        public void onError(Throwable t) {
            if (tracker != null && !failed) {
                progress.refused(tracker, "the client cancelled the upload");
            }
            cleanUp();
        }

        @Override
        public void onCompleted() {
            if (failed) {
                return;
            }
            if (out == null) {
                fail(Status.Code.INVALID_ARGUMENT, "no header and no data were sent", "header");
                return;
            }
            try {
                out.close();
                progress.storing(tracker);
                UploadReport report = uploads.store(caller, batchId, fileName, file, digest.digest(), quarantine,
                        tracker);
                progress.stored(tracker, report);
                response.onNext(report);
                response.onCompleted();
            } catch (UploadRefusedException e) {
                Status.Code code = switch (e.kind()) {
                    case INVALID -> Status.Code.INVALID_ARGUMENT;
                    case FORBIDDEN -> Status.Code.PERMISSION_DENIED;
                    case CONFLICT -> Status.Code.ALREADY_EXISTS;
                    case TOO_LARGE -> Status.Code.RESOURCE_EXHAUSTED;
                    case UNAVAILABLE -> Status.Code.UNAVAILABLE;
                };
                progress.refused(tracker, e.getMessage());
                response.onError(GrpcProblems.of(code, e.getMessage(), e.violations().stream()
                        .map(v -> new Violation(v.location(), v.reason())).toList()));
            } catch (IOException e) {
                LOG.error("cannot read spooled upload", e);
                progress.refused(tracker, "the upload could not be read");
                response.onError(GrpcProblems.of(Status.Code.INTERNAL, "the upload could not be read"));
            } catch (RuntimeException e) {
                // Unexpected: logged (never the content), answered without internals.
                LOG.errorf(e, "batch %s failed", batchId);
                progress.refused(tracker, "the upload failed");
                response.onError(GrpcProblems.of(Status.Code.INTERNAL, "the upload failed; nothing was stored"));
            } finally {
                cleanUp();
            }
        }

        private void fail(Status.Code code, String message, String field) {
            failed = true;
            if (tracker != null) {
                progress.refused(tracker, message);
            }
            cleanUp();
            response.onError(GrpcProblems.of(code, message, List.of(new Violation(field, message))));
        }

        private void cleanUp() {
            try {
                if (out != null) {
                    out.close();
                }
            } catch (IOException e) {
                LOG.debug("closing spool failed", e);
            }
            if (file != null) {
                UploadService.deleteQuietly(file);
            }
        }
    }
}
