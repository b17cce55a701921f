package org.covidrisk.imaging.grpc;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;

import jakarta.annotation.security.RolesAllowed;

import org.covidrisk.imaging.model.InvalidImageException;
import org.covidrisk.imaging.service.BoundedPool;
import org.covidrisk.imaging.service.XrayScorer;
import org.covidrisk.imaging.v1.ImagingServiceGrpc;
import org.covidrisk.imaging.v1.ScoreImageRequest;
import org.covidrisk.imaging.v1.ScoreImageResponse;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.grpc.GrpcProblems.Violation;
import org.covidrisk.platform.security.Roles;
import org.jboss.logging.Logger;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;

/**
 * gRPC face of imaging-service: scores the X-ray sent in the request with the deployed CNN. Without a model, or
 * without image bytes (ingest-service does not store images yet), the answer is {@code has_image = false} with the
 * reason, so the ensemble scores on clinical features alone and says so.
 */
@GrpcService
public class ImagingGrpcService extends ImagingServiceGrpc.ImagingServiceImplBase {

    private static final Logger LOG = Logger.getLogger(ImagingGrpcService.class);

    /** Reason given while no imaging model is deployed. */
    static final String NO_MODEL = "no chest X-ray model is deployed; score uses clinical features only";
    /** Reason given when a request carries no image bytes. */
    static final String NO_IMAGE = "no X-ray was sent and no image store is connected; score uses clinical features only";

    private final XrayScorer scorer;

    public ImagingGrpcService(XrayScorer scorer) {
        this.scorer = scorer;
    }

    @Override
    @RolesAllowed({Roles.CLINICIAN, Roles.MODEL_ADMIN})
    public void scoreImage(ScoreImageRequest request, StreamObserver<ScoreImageResponse> response) {
        if (scorer.modelVersion().isEmpty() || request.getImage().isEmpty()) {
            response.onNext(ScoreImageResponse.newBuilder().setHasImage(false)
                    .setReason(scorer.modelVersion().isEmpty() ? NO_MODEL : NO_IMAGE).build());
            response.onCompleted();
            return;
        }
        byte[] bytes = request.getImage().toByteArray();
        String sha = sha256(bytes);
        String claimed = request.getImageSha256().trim().toLowerCase(Locale.ROOT);
        if (!claimed.isEmpty() && !claimed.equals(sha)) {
            response.onError(GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "image_sha256 does not match the image",
                    List.of(new Violation("image_sha256", "is not the SHA-256 of the image bytes"))));
            return;
        }
        try {
            scorer.score(bytes).whenComplete((score, error) -> {
                if (error == null) {
                    response.onNext(ScoreImageResponse.newBuilder().setHasImage(true)
                            .setProbability(score.probability()).setModelVersion(score.modelVersion())
                            .setImageSha256(sha).build());
                    response.onCompleted();
                } else {
                    response.onError(problem(error));
                }
            });
        } catch (BoundedPool.Busy e) {
            response.onError(GrpcProblems.of(Status.Code.RESOURCE_EXHAUSTED, e.getMessage()));
        }
    }

    private static RuntimeException problem(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof InvalidImageException bad) {
            return GrpcProblems.of(Status.Code.INVALID_ARGUMENT, bad.getMessage(),
                    List.of(new Violation("image", bad.getMessage())));
        }
        LOG.error("X-ray scoring failed", cause);
        return GrpcProblems.of(Status.Code.INTERNAL, "X-ray scoring failed");
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
