package org.covidrisk.gateway.rest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;

import org.covidrisk.ensemble.v1.EnsembleServiceGrpc;
import org.covidrisk.ensemble.v1.HospitalReport;
import org.covidrisk.ensemble.v1.ListModelsRequest;
import org.covidrisk.ensemble.v1.ListModelsResponse;
import org.covidrisk.ensemble.v1.ModelInfo;
import org.covidrisk.ensemble.v1.PromoteRequest;
import org.covidrisk.ensemble.v1.Promotion;
import org.covidrisk.ensemble.v1.Report;
import org.covidrisk.ensemble.v1.ReportRequest;
import org.covidrisk.ensemble.v1.ScoreRequest;
import org.covidrisk.ensemble.v1.ScoreResponse;
import org.covidrisk.ensemble.v1.TrainRequest;
import org.covidrisk.ingest.v1.AdmissionOutcome;
import org.covidrisk.ingest.v1.AdmissionServiceGrpc;
import org.covidrisk.ingest.v1.AdmissionUploadChunk;
import org.covidrisk.ingest.v1.AdmissionUploadHeader;
import org.covidrisk.ingest.v1.GetPatientRequest;
import org.covidrisk.ingest.v1.IngestServiceGrpc;
import org.covidrisk.ingest.v1.ListPatientsRequest;
import org.covidrisk.ingest.v1.ListPatientsResponse;
import org.covidrisk.ingest.v1.ListQuarantineRequest;
import org.covidrisk.ingest.v1.ListQuarantineResponse;
import org.covidrisk.ingest.v1.PatientRecord;
import org.covidrisk.ingest.v1.RecordOutcomesRequest;
import org.covidrisk.ingest.v1.RowProblem;
import org.covidrisk.ingest.v1.UploadChunk;
import org.covidrisk.ingest.v1.UploadReport;
import org.covidrisk.ingest.v1.UploadState;
import org.covidrisk.ingest.v1.UploadStatus;
import org.covidrisk.ingest.v1.UploadStatusRequest;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.security.Caller;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;

/** Fake backends served by the gateway's test application, so the REST layer is tested alone. */
public final class FakeBackends {

    private FakeBackends() {
    }

    @GrpcService
    public static class FakeIngest extends IngestServiceGrpc.IngestServiceImplBase {
        @Inject
        SecurityIdentity identity;

        @Override
        @Blocking
        @RolesAllowed("data-steward")
        public StreamObserver<UploadChunk> uploadDge(StreamObserver<UploadReport> response) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            String[] batch = new String[1];
            int[] chunks = new int[1];
            return new StreamObserver<>() {
                @Override
                public void onNext(UploadChunk c) {
                    if (c.hasHeader()) {
                        batch[0] = c.getHeader().getBatchId();
                    } else {
                        chunks[0]++;
                        bytes.writeBytes(c.getData().toByteArray());
                    }
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    String text = bytes.toString(StandardCharsets.UTF_8);
                    if (text.contains("HUGE")) {
                        response.onError(GrpcProblems.of(Status.Code.RESOURCE_EXHAUSTED,
                                "the upload exceeds 2147483648 bytes"));
                        return;
                    }
                    if (text.contains("BAD")) {
                        response.onError(GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "the file was refused",
                                List.of(new GrpcProblems.Violation("line 2, column EDAD", "is not a whole number"))));
                        return;
                    }
                    long lines = text.lines().count() - 1;
                    response.onNext(UploadReport.newBuilder().setBatchId(batch[0]).setRowsRead(lines)
                            .setRowsStored(lines).setLayout("DGE_2022").setDeaths(chunks[0]).build());
                    response.onCompleted();
                }
            };
        }

        @Override
        @Blocking
        @RolesAllowed("data-steward")
        public StreamObserver<org.covidrisk.ingest.v1.ImageUploadChunk> uploadImage(
                StreamObserver<org.covidrisk.ingest.v1.ImageInfo> response) {
            return FakeImaging.upload(response);
        }

        @Override
        @Blocking
        @RolesAllowed({"clinician", "model-admin"})
        public void getPatient(GetPatientRequest request, StreamObserver<PatientRecord> response) {
            Caller caller = Caller.of(identity);
            String hospital = request.getPatientId().startsWith("a") ? "MX-09-04" : "MX-15-12";
            if (!caller.belongsTo(hospital)) {
                response.onError(GrpcProblems.of(Status.Code.NOT_FOUND, "no patient " + request.getPatientId()
                        + " in your hospital(s)"));
                return;
            }
            response.onNext(PatientRecord.newBuilder().setPatientId(request.getPatientId()).setHospital(hospital)
                    .setAge(61).setDiabetes(true).build());
            response.onCompleted();
        }

        // --- issue 3: upload status and quarantine report ---

        @Override
        @Blocking
        @RolesAllowed("data-steward")
        public void getUploadStatus(UploadStatusRequest request, StreamObserver<UploadStatus> response) {
            switch (request.getBatchId()) {
                case "b-running" -> response.onNext(UploadStatus.newBuilder().setBatchId("b-running").setState(
                        UploadState.UPLOAD_STATE_RECEIVING).setBytesReceived(1234).build());
                case "b-done" -> response.onNext(UploadStatus.newBuilder().setBatchId("b-done").setState(
                        UploadState.UPLOAD_STATE_STORED).setRowsRead(3).setReport(UploadReport.newBuilder()
                                .setBatchId("b-done").setLayout("TONGJI").setRowsRead(3).setRowsStored(2)
                                .setRowsQuarantined(1).addQuarantined(RowProblem.newBuilder().setLine(4).setColumn(
                                        "hemoglobin").setReason("is not a decimal number")))
                        .build());
                default -> {
                    response.onError(GrpcProblems.of(Status.Code.NOT_FOUND, "no upload " + request.getBatchId()
                            + " of yours", List.of(new GrpcProblems.Violation("batchId", "not found"))));
                    return;
                }
            }
            response.onCompleted();
        }

        @Override
        @Blocking
        @RolesAllowed("data-steward")
        public void listQuarantine(ListQuarantineRequest request, StreamObserver<ListQuarantineResponse> response) {
            if (!request.getBatchId().equals("q-1")) {
                response.onError(GrpcProblems.of(Status.Code.NOT_FOUND, "no upload " + request.getBatchId()
                        + " of yours", List.of(new GrpcProblems.Violation("batchId", "not found"))));
                return;
            }
            ListQuarantineResponse.Builder page = ListQuarantineResponse.newBuilder().setBatchId("q-1")
                    .setRowsQuarantined(3);
            if (request.getPageToken().isEmpty()) {
                page.addProblems(RowProblem.newBuilder().setLine(3).setColumn("crp_unit").setReason("unit is not "
                        + "one of [mg/L, mg/dL] for crp")).addProblems(RowProblem.newBuilder().setLine(4)
                                .setColumn("age").setReason("age is outside 0-130"))
                        .setNextPageToken("page-" + request.getPageSize());
            } else {
                page.addProblems(RowProblem.newBuilder().setLine(5).setColumn("patient_id").setReason("repeated"));
            }
            response.onNext(page.build());
            response.onCompleted();
        }

        /** Two patients per hospital: a1, a2 of MX-09-04 and b1, b2 of MX-15-12, filtered by the token. */
        @Override
        @Blocking
        @RolesAllowed("clinician")
        public void listPatients(ListPatientsRequest request, StreamObserver<ListPatientsResponse> response) {
            Caller caller = Caller.of(identity);
            ListPatientsResponse.Builder b = ListPatientsResponse.newBuilder();
            for (String id : List.of("a1", "a2", "b1", "b2")) {
                String hospital = id.startsWith("a") ? "MX-09-04" : "MX-15-12";
                if (caller.belongsTo(hospital)) {
                    b.addPatients(PatientRecord.newBuilder().setPatientId(id).setHospital(hospital).setAge(50));
                }
            }
            response.onNext(b.setTotal(b.getPatientsCount()).build());
            response.onCompleted();
        }
    }

    @GrpcService
    public static class FakeEnsemble extends EnsembleServiceGrpc.EnsembleServiceImplBase {
        @Inject
        SecurityIdentity identity;

        @Override
        @Blocking
        @RolesAllowed("clinician")
        public void score(ScoreRequest request, StreamObserver<ScoreResponse> response) {
            Caller caller = Caller.of(identity);
            boolean stored = request.getSubjectCase() == ScoreRequest.SubjectCase.PATIENT_ID;
            if (stored) {
                String hospital = request.getPatientId().startsWith("a") ? "MX-09-04" : "MX-15-12";
                if (!caller.belongsTo(hospital)) {
                    response.onError(GrpcProblems.of(Status.Code.NOT_FOUND, "no patient " + request.getPatientId()
                            + " in your hospital(s)"));
                    return;
                }
            }
            int age = request.hasPatient()
                    ? request.getPatient().getAge()
                    : request.hasAdmission() ? (int) request.getAdmission().getAge() : 61;
            response.onNext(ScoreResponse.newBuilder().setPatientId(stored ? request.getPatientId() : "ad-hoc")
                    .setCohort(request.getCohort()).setHospital(caller.homeHospital()).setProbability(age / 100.0)
                    .setStage(request.getStage()).setModelId("m1").setModelVersion(1).addImputed("smoker").build());
            response.onCompleted();
        }

        @Override
        @Blocking
        @RolesAllowed("model-admin")
        public void train(TrainRequest request, StreamObserver<ModelInfo> response) {
            response.onNext(ModelInfo.newBuilder().setModelId("m2").setVersion(2).setStage(request.getStage())
                    .setCohort(request.getCohort())
                    .setLearner(request.getLearner()).setProvenanceJson("{\"seed\":" + request.getSeed() + "}")
                    .putMetrics("auroc", 0.8).setActive(request.getPromote()).build());
            response.onCompleted();
        }

        @Override
        @Blocking
        @RolesAllowed({"model-admin", "analyst", "network-analyst"})
        public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> response) {
            response.onNext(ListModelsResponse.newBuilder().addModels(ModelInfo.newBuilder().setModelId("m1")
                    .setProvenanceJson(PER_HOSPITAL)).addModels(ModelInfo.newBuilder().setModelId("m0")
                            .setProvenanceJson("{}"))
                    .build());
            response.onCompleted();
        }

        @Override
        @Blocking
        @RolesAllowed("model-admin")
        public void promoteModel(PromoteRequest request, StreamObserver<Promotion> response) {
            if (!request.getModelId().startsWith("m")) {
                response.onError(GrpcProblems.of(Status.Code.NOT_FOUND, "no model " + request.getModelId()));
                return;
            }
            response.onNext(Promotion.newBuilder().setModelId(request.getModelId()).setVersion(3).setStage(4)
                    .setPreviousModelId("m0").setPreviousVersion(2).setPromotedBy(Caller.of(identity).username())
                    .setReason(request.getReason()).build());
            response.onCompleted();
        }

        /** Sends every hospital's row whoever asks: the gateway must still filter (defence in depth). */
        @Override
        @Blocking
        @RolesAllowed({"model-admin", "analyst", "network-analyst"})
        public void getReport(ReportRequest request, StreamObserver<Report> response) {
            // the model of the asked (cohort, stage), so the gateway's mapping of them can be checked
            response.onNext(Report.newBuilder().setModel(ModelInfo.newBuilder().setModelId("m1").setVersion(1)
                    .setStage(request.getStage()).setCohort(request.getCohort())
                    .setProvenanceJson(PER_HOSPITAL)).putMetrics("auroc", 0.81)
                    .addHospitals(HospitalReport.newBuilder().setHospital("MX-09-04").setN(10))
                    .addHospitals(HospitalReport.newBuilder().setHospital("MX-15-12").setN(12)).build());
            response.onCompleted();
        }
    }

    /** The admission RPCs: echoes what the gateway sent so the mapping can be checked. */
    @GrpcService
    public static class FakeAdmissions extends AdmissionServiceGrpc.AdmissionServiceImplBase {
        @Inject
        SecurityIdentity identity;

        @Override
        @Blocking
        @RolesAllowed("data-steward")
        public StreamObserver<AdmissionUploadChunk> uploadAdmissions(StreamObserver<UploadReport> response) {
            Caller caller = Caller.of(identity);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            AdmissionUploadHeader[] header = new AdmissionUploadHeader[1];
            return new StreamObserver<>() {
                @Override
                public void onNext(AdmissionUploadChunk c) {
                    if (c.hasHeader()) {
                        header[0] = c.getHeader();
                    } else {
                        bytes.writeBytes(c.getData().toByteArray());
                    }
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    AdmissionUploadHeader h = header[0];
                    if (!h.getHospital().isEmpty() && !caller.belongsTo(h.getHospital())) {
                        response.onError(GrpcProblems.of(Status.Code.PERMISSION_DENIED, "hospital " + h.getHospital()
                                + " is not one your account may write to",
                                List.of(new GrpcProblems.Violation(
                                        "hospital", "not in your token"))));
                        return;
                    }
                    String text = bytes.toString(StandardCharsets.UTF_8);
                    if (text.contains("BAD")) {
                        response.onError(GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "the batch was refused",
                                List.of(new GrpcProblems.Violation("line 2, column crp_unit", "unit is not one of "
                                        + "[mg/L, mg/dL] for crp"))));
                        return;
                    }
                    if (text.contains("KNOWN")) {
                        response.onError(GrpcProblems.of(Status.Code.ALREADY_EXISTS, "batch id " + h.getBatchId()
                                + " was already stored with different content",
                                List.of(new GrpcProblems.Violation(
                                        "batchId", "already used for other content"))));
                        return;
                    }
                    // layout: what the gateway asked for, so the test sees the mapping
                    response.onNext(UploadReport.newBuilder().setBatchId(h.getBatchId()).setLayout(h.getFormat()
                            .name() + "|" + h.getHospital() + "|" + h.getSource() + "|"
                            + h
                                    .getQuarantineInvalidRows())
                            .setRowsRead(text.lines().count()).setRowsStored(bytes.size()).build());
                    response.onCompleted();
                }
            };
        }

        @Override
        @Blocking
        @RolesAllowed("data-steward")
        public void recordOutcomes(RecordOutcomesRequest request, StreamObserver<UploadReport> response) {
            for (int i = 0; i < request.getOutcomesCount(); i++) {
                if (request.getOutcomes(i).getPatientId().equals("nobody")) {
                    response.onError(GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "the batch was refused",
                            List.of(new GrpcProblems.Violation("outcomes[" + i + "].patient_id",
                                    "no admission of this patient in the hospital"))));
                    return;
                }
            }
            long deaths = request.getOutcomesList().stream().filter(o -> o
                    .getOutcome() == AdmissionOutcome.ADMISSION_OUTCOME_DIED).count();
            response.onNext(UploadReport.newBuilder().setBatchId(request.getBatchId()).setLayout("OUTCOMES")
                    .setRowsRead(request.getOutcomesCount()).setRowsStored(request.getOutcomesCount()).setDeaths(
                            deaths)
                    .setReplayed(request.getQuarantineInvalidRows()).build());
            response.onCompleted();
        }
    }

    /** A provenance with per-hospital hold-out rows of two hospitals. */
    static final String PER_HOSPITAL = "{\"seed\":1,\"perHospital\":[{\"group\":\"MX-09-04\",\"n\":10},"
            + "{\"group\":\"MX-15-12\",\"n\":12}]}";
}
