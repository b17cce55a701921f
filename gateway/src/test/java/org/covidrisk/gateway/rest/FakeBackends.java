package org.covidrisk.gateway.rest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;

import org.covidrisk.ensemble.v1.EnsembleServiceGrpc;
import org.covidrisk.ensemble.v1.ListModelsRequest;
import org.covidrisk.ensemble.v1.ListModelsResponse;
import org.covidrisk.ensemble.v1.ModelInfo;
import org.covidrisk.ensemble.v1.ScoreRequest;
import org.covidrisk.ensemble.v1.ScoreResponse;
import org.covidrisk.ensemble.v1.TrainRequest;
import org.covidrisk.ingest.v1.GetPatientRequest;
import org.covidrisk.ingest.v1.IngestServiceGrpc;
import org.covidrisk.ingest.v1.PatientRecord;
import org.covidrisk.ingest.v1.UploadChunk;
import org.covidrisk.ingest.v1.UploadReport;
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
            int age = request.hasPatient() ? request.getPatient().getAge() : 61;
            response.onNext(ScoreResponse.newBuilder().setPatientId(request.hasPatient()
                    ? "ad-hoc"
                    : request.getPatientId()).setHospital(caller.homeHospital()).setProbability(age / 100.0)
                    .setStage(request.getStage()).setModelId("m1").setModelVersion(1).addImputed("smoker").build());
            response.onCompleted();
        }

        @Override
        @Blocking
        @RolesAllowed("model-admin")
        public void train(TrainRequest request, StreamObserver<ModelInfo> response) {
            response.onNext(ModelInfo.newBuilder().setModelId("m2").setVersion(2).setStage(request.getStage())
                    .setLearner(request.getLearner()).setProvenanceJson("{\"seed\":" + request.getSeed() + "}")
                    .putMetrics("auroc", 0.8).setActive(request.getPromote()).build());
            response.onCompleted();
        }

        @Override
        @Blocking
        @RolesAllowed({"model-admin", "analyst", "network-analyst"})
        public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> response) {
            response.onNext(ListModelsResponse.newBuilder().addModels(ModelInfo.newBuilder().setModelId("m1")
                    .setProvenanceJson("{}")).build());
            response.onCompleted();
        }
    }
}
