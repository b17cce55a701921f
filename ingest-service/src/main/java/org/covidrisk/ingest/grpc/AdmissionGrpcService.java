package org.covidrisk.ingest.grpc;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;

import org.covidrisk.ingest.admission.Fields;
import org.covidrisk.ingest.config.IngestConfig;
import org.covidrisk.ingest.service.AdmissionQueryService;
import org.covidrisk.ingest.service.AdmissionUploadService;
import org.covidrisk.ingest.service.OutcomeService;
import org.covidrisk.ingest.service.UploadProgress;
import org.covidrisk.ingest.service.UploadRefusedException;
import org.covidrisk.ingest.v1.AdmissionFormat;
import org.covidrisk.ingest.v1.AdmissionRecord;
import org.covidrisk.ingest.v1.AdmissionServiceGrpc;
import org.covidrisk.ingest.v1.AdmissionUploadChunk;
import org.covidrisk.ingest.v1.AdmissionUploadHeader;
import org.covidrisk.ingest.v1.AdmissionsRequest;
import org.covidrisk.ingest.v1.GetAdmissionRequest;
import org.covidrisk.ingest.v1.OutcomeEvent;
import org.covidrisk.ingest.v1.OutcomeEventsRequest;
import org.covidrisk.ingest.v1.RecordOutcomesRequest;
import org.covidrisk.ingest.v1.UploadReport;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.grpc.GrpcProblems.Violation;
import org.covidrisk.platform.security.Caller;
import org.covidrisk.platform.security.Roles;
import org.jboss.logging.Logger;

import com.google.protobuf.ByteString;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;

/**
 * gRPC face of the admission records: uploads in three formats, late outcomes, and the streams for training and
 * for joining predictions to outcomes. The caller's token is verified by Quarkus OIDC before any method runs.
 */
@GrpcService
public class AdmissionGrpcService extends AdmissionServiceGrpc.AdmissionServiceImplBase {

    private static final Logger LOG = Logger.getLogger(AdmissionGrpcService.class);

    @Inject
    SecurityIdentity identity;

    @Inject
    AdmissionUploadService uploads;

    @Inject
    OutcomeService outcomes;

    @Inject
    AdmissionQueryService queries;

    @Inject
    IngestConfig config;

    @Inject
    UploadProgress progress;

    @Override
    @Blocking
    @RolesAllowed(Roles.DATA_STEWARD)
    public StreamObserver<AdmissionUploadChunk> uploadAdmissions(StreamObserver<UploadReport> response) {
        return new AdmissionReceiver(Caller.of(identity), response);
    }

    @Override
    @Blocking
    @RolesAllowed(Roles.DATA_STEWARD)
    public void recordOutcomes(RecordOutcomesRequest request, StreamObserver<UploadReport> response) {
        Caller caller = Caller.of(identity);
        String batchId = request.getBatchId().strip();
        if (batchId.isEmpty() || batchId.length() > 128 || !batchId.matches("[A-Za-z0-9._:-]+")) {
            response.onError(GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "batch id must be 1-128 characters of "
                    + "A-Z a-z 0-9 . _ : -", List.of(new Violation("batchId", "malformed"))));
            return;
        }
        try {
            response.onNext(outcomes.record(caller, request));
            response.onCompleted();
        } catch (UploadRefusedException e) {
            // Problems name the update by its position in the list and its field.
            response.onError(SpoolingReceiver.refusal(e, v -> new Violation(v.line() > 0
                    ? "outcomes[" + (v.line() - 1) + "]" + (v.column().isEmpty() ? "" : "." + v.column())
                    : v.column().isEmpty() ? "outcomes" : v.column(), v.reason())));
        }
    }

    @Override
    @Blocking
    @RolesAllowed(Roles.MODEL_ADMIN)
    public void streamAdmissions(AdmissionsRequest request, StreamObserver<AdmissionRecord> response) {
        long sent = queries.streamAdmissions(request, response::onNext);
        LOG.infof("admissions streamed: %d records", sent);
        response.onCompleted();
    }

    @Override
    @Blocking
    @RolesAllowed({Roles.MODEL_ADMIN, Roles.ANALYST})
    public void streamOutcomeEvents(OutcomeEventsRequest request, StreamObserver<OutcomeEvent> response) {
        try {
            long sent = queries.streamOutcomeEvents(request, response::onNext);
            LOG.infof("outcome events streamed: %d", sent);
            response.onCompleted();
        } catch (AdmissionQueryService.BadRequest e) {
            response.onError(GrpcProblems.of(Status.Code.INVALID_ARGUMENT, e.getMessage(), List.of(new Violation(e
                    .field(), e.getMessage()))));
        }
    }

    @Override
    @Blocking
    @RolesAllowed({Roles.CLINICIAN, Roles.MODEL_ADMIN})
    public void getAdmission(GetAdmissionRequest request, StreamObserver<AdmissionRecord> response) {
        List<AdmissionRecord> found = queries.find(Caller.of(identity), request);
        if (found.isEmpty()) {
            // Same answer for "absent" and "another hospital's": existence is not disclosed across tenants.
            response.onError(GrpcProblems.of(Status.Code.NOT_FOUND, "no admission " + request.getPatientId()
                    + " in your hospital(s)", List.of(new Violation("patientId", "not found"))));
        } else if (found.size() > 1) {
            response.onError(GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "several admissions of your hospitals "
                    + "have patient id " + request.getPatientId() + "; give hospital and source",
                    List.of(
                            new Violation("source", "ambiguous patient id"))));
        } else {
            response.onNext(found.get(0));
            response.onCompleted();
        }
    }

    /** An admission file: the header names format, batch, mode, and for Tongji the hospital. */
    private final class AdmissionReceiver extends SpoolingReceiver<AdmissionUploadChunk, AdmissionUploadHeader> {
        AdmissionReceiver(Caller caller, StreamObserver<UploadReport> response) {
            super(caller, response, config, progress);
        }

        @Override
        protected AdmissionUploadHeader headerOf(AdmissionUploadChunk chunk) {
            return chunk.hasHeader() ? chunk.getHeader() : null;
        }

        @Override
        protected ByteString dataOf(AdmissionUploadChunk chunk) {
            return chunk.getData();
        }

        @Override
        protected String batchIdOf(AdmissionUploadHeader header) {
            return header.getBatchId();
        }

        @Override
        protected StatusRuntimeException check(AdmissionUploadHeader h) {
            AdmissionFormat format = h.getFormat();
            if (format == AdmissionFormat.ADMISSION_FORMAT_UNSPECIFIED || format == AdmissionFormat.UNRECOGNIZED) {
                return invalid("format", "must be ADMISSION_CSV, TONGJI or FHIR_BUNDLE");
            }
            String hospital = h.getHospital().strip();
            if (format == AdmissionFormat.ADMISSION_FORMAT_TONGJI) {
                if (!Fields.isHospital(hospital)) {
                    return invalid("hospital", "the Tongji export names no hospital: give the hospital key of the "
                            + "records");
                }
                if (!caller.belongsTo(hospital)) {
                    return GrpcProblems.of(Status.Code.PERMISSION_DENIED, "hospital " + hospital + " is not one "
                            + "your account may write to", List.of(new Violation("hospital", "not in your token")));
                }
            } else if (!hospital.isEmpty()) {
                return invalid("hospital", "only for TONGJI: the records of this format name their own hospital");
            }
            String source = h.getSource().strip();
            if (!source.isEmpty() && !Fields.isSource(source)) {
                return invalid("source", "must be 1-16 of A-Z 0-9 _");
            }
            return null;
        }

        private static StatusRuntimeException invalid(String field, String reason) {
            return GrpcProblems.of(Status.Code.INVALID_ARGUMENT, field + " " + reason, List.of(new Violation(field,
                    reason)));
        }

        @Override
        protected void digestHeader(AdmissionUploadHeader h, MessageDigest digest) {
            // The same bytes imported as another format, hospital or source are other content.
            digest.update((h.getFormat().name() + "\n" + h.getHospital().strip() + "\n" + source(h) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }

        private static String source(AdmissionUploadHeader h) {
            String s = h.getSource().strip();
            return s.isEmpty() ? AdmissionUploadService.defaultSource(h.getFormat()) : s;
        }

        @Override
        protected UploadReport store(AdmissionUploadHeader h, String batchId, Path file, byte[] sha256,
                UploadProgress.Entry tracker) {
            String hospital = h.getHospital().strip();
            return uploads.store(caller, new AdmissionUploadService.Upload(batchId, h.getFileName(), h.getFormat(),
                    hospital.isEmpty() ? null : hospital, source(h), h.getQuarantineInvalidRows()), file, sha256,
                    tracker);
        }
    }
}
