package org.covidrisk.gateway.rest;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;

import org.covidrisk.imaging.v1.GetModelRequest;
import org.covidrisk.imaging.v1.ImagingServiceGrpc;
import org.covidrisk.imaging.v1.ModelInfo;
import org.covidrisk.imaging.v1.ScoreImageRequest;
import org.covidrisk.imaging.v1.ScoreImageResponse;
import org.covidrisk.imaging.v1.TrainModelRequest;
import org.covidrisk.imaging.v1.TrainModelResponse;
import org.covidrisk.ingest.v1.ImageInfo;
import org.covidrisk.ingest.v1.ImageUploadChunk;
import org.covidrisk.ingest.v1.ImageUploadHeader;
import org.covidrisk.platform.grpc.GrpcProblems;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;

/** Fake imaging-service, and the X-ray upload of the fake ingest-service, served by the gateway's test app. */
@GrpcService
public class FakeImaging extends ImagingServiceGrpc.ImagingServiceImplBase {

    /** Patient whose score finds every predictor busy. */
    static final String BUSY = "p-busy";

    @Override
    @Blocking
    @RolesAllowed("clinician")
    public void scoreImage(ScoreImageRequest request, StreamObserver<ScoreImageResponse> response) {
        switch (request.getPatientId()) {
            case BUSY -> response.onError(GrpcProblems.busy("every X-ray predictor is busy and 4 requests are "
                    + "waiting; retry later", Duration.ofSeconds(2)));
            case "p-none" -> {
                response.onNext(ScoreImageResponse.newBuilder().setHasImage(false)
                        .setReason("no chest X-ray is stored for this patient").build());
                response.onCompleted();
            }
            default -> {
                response.onNext(ScoreImageResponse.newBuilder().setHasImage(true).setProbability(0.42)
                        .setModelVersion("tiny@1").setImageSha256(request.getImageSha256().isEmpty()
                                ? "ab".repeat(32)
                                : request.getImageSha256())
                        .build());
                response.onCompleted();
            }
        }
    }

    @Override
    @Blocking
    @RolesAllowed({"clinician", "analyst", "model-admin", "network-analyst"})
    public void getModel(GetModelRequest request, StreamObserver<ModelInfo> response) {
        response.onNext(ModelInfo.newBuilder().setDeployed(true).setModelVersion("tiny@1").setTask("survival")
                .setArchitecture("resnet-basic[1,1,1,1]-w4-grey32-2class").setInputSize(32).setPretrainingEpochs(8)
                .setTrainingEpochs(10).setDataSha256("cd".repeat(32)).setTrainImages(490).setTrainPatients(76)
                .setSeed(42).putVersions("engine", "PyTorch 2.7.1").putVersions("djl", "0.35.1")
                .setCreatedAt("2026-12-04T10:00:00Z").setWorkers(2).setMaxBatch(16).setQueueCapacity(32).build());
        response.onCompleted();
    }

    @Override
    @Blocking
    @RolesAllowed("model-admin")
    public void trainModel(TrainModelRequest request, StreamObserver<TrainModelResponse> response) {
        if (request.getEpochs() == 7) {
            response.onError(GrpcProblems.of(Status.Code.FAILED_PRECONDITION, "too few patients to train on: 3 with a "
                    + "stored X-ray and an outcome (1 deaths, 2 survivors); at least 10 with two of each outcome are "
                    + "needed", List.of(new GrpcProblems.Violation("cohort", "3 patients, 1 deaths"))));
            return;
        }
        response.onNext(TrainModelResponse.newBuilder().setModel(ModelInfo.newBuilder()
                .setDeployed(request.getDeploy()).setModelVersion("tiny@2").setTask("survival")
                .setArchitecture("resnet-basic[1,1,1,1]-w4-grey32-2class").setTrainingEpochs(request.getEpochs())
                .setTrainPatients(30).setSeed(request.getSeed()).setWorkers(request.getDeploy() ? 2 : 0))
                .setBasedOn("tiny@1").setTrainPatients(30).setTrainDeaths(6).setHoldoutPatients(10).setHoldoutDeaths(2)
                .setHoldoutAuroc(0.75).setHoldoutAurocBefore(0.625).putSkipped("image refused: not an image", 1)
                .setTrainingSeconds(12.5).setSavedTo("/models/x").build());
        response.onCompleted();
    }

    /** The fake ingest's UploadImage: bytes starting with "BAD" are refused; the info counts chunks in width. */
    static StreamObserver<ImageUploadChunk> upload(StreamObserver<ImageInfo> response) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageUploadHeader[] header = new ImageUploadHeader[1];
        int[] chunks = new int[1];
        return new StreamObserver<>() {
            @Override
            public void onNext(ImageUploadChunk c) {
                if (c.hasHeader()) {
                    header[0] = c.getHeader();
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
                byte[] b = bytes.toByteArray();
                if (new String(b, 0, Math.min(3, b.length), java.nio.charset.StandardCharsets.US_ASCII).equals("BAD")) {
                    response.onError(GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "JPEG data is corrupt or truncated",
                            List.of(new GrpcProblems.Violation("image", "JPEG data is corrupt or truncated"))));
                    return;
                }
                try {
                    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
                    response.onNext(ImageInfo.newBuilder().setSha256(sha).setPatientId(header[0].getPatientId())
                            .setHospital(header[0].getHospital().isEmpty() ? "MX-09-04" : header[0].getHospital())
                            .setMediaType("image/png").setSizeBytes(b.length).setWidth(chunks[0]).setHeight(1)
                            .setView(header[0].getView()).setStudyTime(header[0].getStudyTime())
                            .setStoredAt("2026-11-23T10:00:00Z").build());
                    response.onCompleted();
                } catch (java.security.NoSuchAlgorithmException e) {
                    response.onError(e);
                }
            }
        };
    }
}
