package org.covidrisk.imaging.grpc;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;

import org.covidrisk.imaging.client.IngestImageClient;
import org.covidrisk.imaging.config.ImagingConfig;
import org.covidrisk.imaging.model.InvalidImageException;
import org.covidrisk.imaging.model.Provenance;
import org.covidrisk.imaging.service.MicroBatcher;
import org.covidrisk.imaging.service.XrayRetraining;
import org.covidrisk.imaging.service.XrayScorer;
import org.covidrisk.imaging.v1.GetModelRequest;
import org.covidrisk.imaging.v1.ImagingServiceGrpc;
import org.covidrisk.imaging.v1.ModelInfo;
import org.covidrisk.imaging.v1.ScoreImageRequest;
import org.covidrisk.imaging.v1.ScoreImageResponse;
import org.covidrisk.imaging.v1.TrainModelRequest;
import org.covidrisk.imaging.v1.TrainModelResponse;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.grpc.GrpcProblems.Violation;
import org.covidrisk.platform.security.Caller;
import org.covidrisk.platform.security.Roles;
import org.jboss.logging.Logger;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;

/**
 * gRPC face of imaging-service: scores a chest X-ray with the deployed CNN. The image is the request's bytes
 * when sent, else fetched from ingest-service's image store with the caller's token (by {@code image_sha256}, or
 * the patient's latest). Without a model, or when the patient has no stored X-ray, the answer is
 * {@code has_image = false} with the reason, so the ensemble scores on clinical features alone and says so.
 */
@GrpcService
public class ImagingGrpcService extends ImagingServiceGrpc.ImagingServiceImplBase {

    private static final Logger LOG = Logger.getLogger(ImagingGrpcService.class);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** Reason given while no imaging model is deployed. */
    static final String NO_MODEL = "no chest X-ray model is deployed; score uses clinical features only";
    /** Reason given when the patient has no stored X-ray the caller may read. */
    static final String NO_IMAGE = "no chest X-ray is stored for this patient; score uses clinical features only";
    /** Reason given when the requested hash is not stored for the caller. */
    static final String NO_SUCH_IMAGE = "no stored chest X-ray has this image_sha256; score uses clinical features "
            + "only";

    /** Most survival epochs a training may ask for. */
    static final int MAX_EPOCHS = 50;

    @Inject
    XrayScorer scorer;

    @Inject
    XrayRetraining retraining;

    @Inject
    IngestImageClient images;

    @Inject
    ImagingConfig config;

    @Inject
    SecurityIdentity identity;

    @Override
    @Blocking
    @RolesAllowed({Roles.CLINICIAN, Roles.MODEL_ADMIN})
    public void scoreImage(ScoreImageRequest request, StreamObserver<ScoreImageResponse> response) {
        try {
            response.onNext(score(request));
            response.onCompleted();
        } catch (StatusRuntimeException e) {
            response.onError(e);
        }
    }

    @Override
    @Blocking
    @RolesAllowed({Roles.CLINICIAN, Roles.MODEL_ADMIN, Roles.ANALYST, Roles.NETWORK_ANALYST})
    public void getModel(GetModelRequest request, StreamObserver<ModelInfo> response) {
        response.onNext(scorer.deployed().map(ImagingGrpcService::info)
                .orElseGet(() -> ModelInfo.newBuilder().setDeployed(false).build()));
        response.onCompleted();
    }

    @Override
    @Blocking
    @RolesAllowed(Roles.MODEL_ADMIN)
    public void trainModel(TrainModelRequest request, StreamObserver<TrainModelResponse> response) {
        try {
            int epochs = request.getEpochs() == 0 ? config.trainEpochs() : request.getEpochs();
            if (epochs < 1 || epochs > MAX_EPOCHS) {
                throw GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "epochs must be between 1 and " + MAX_EPOCHS,
                        List.of(new Violation("epochs", "must be between 1 and " + MAX_EPOCHS)));
            }
            long seed = request.getSeed() == 0 ? 42 : request.getSeed();
            XrayRetraining.Result r = retraining.train(Caller.of(identity).rawToken(), seed, epochs,
                    request.getHospitalisedOnly());
            ModelInfo model;
            try (var trained = r.model()) {
                if (request.getDeploy()) {
                    model = info(scorer.deploy(r.savedTo()));
                } else {
                    model = describe(XrayScorer.version(trained.provenance()), trained.provenance()).build();
                }
            }
            TrainModelResponse.Builder b = TrainModelResponse.newBuilder().setModel(model).setBasedOn(r.basedOn())
                    .setTrainPatients(r.trainPatients()).setTrainDeaths(r.trainDeaths())
                    .setHoldoutPatients(r.holdoutPatients()).setHoldoutDeaths(r.holdoutDeaths())
                    .setHoldoutAuroc(r.holdoutAuroc()).putAllSkipped(r.skipped()).setTrainingSeconds(r.seconds())
                    .setSavedTo(r.savedTo().toString());
            r.holdoutAurocBefore().ifPresent(b::setHoldoutAurocBefore);
            response.onNext(b.build());
            response.onCompleted();
        } catch (StatusRuntimeException e) {
            response.onError(e);
        } catch (java.io.IOException e) {
            LOG.error("X-ray model could not be saved or loaded", e);
            response.onError(GrpcProblems.of(Status.Code.INTERNAL, "the trained X-ray model could not be saved or "
                    + "loaded"));
        }
    }

    /** The serving model: where it comes from and how it is served. */
    static ModelInfo info(XrayScorer.Deployed d) {
        return describe(d.version(), d.provenance()).setDeployed(true).setWorkers(d.workers())
                .setMaxBatch(d.maxBatch()).setQueueCapacity(d.queueCapacity()).build();
    }

    /** A model's version and provenance ({@code deployed} false, no serving settings). */
    static ModelInfo.Builder describe(String version, Provenance p) {
        ModelInfo.Builder b = ModelInfo.newBuilder().setModelVersion(version).setTask(p.task())
                .setArchitecture(p.architecture()).setInputSize(p.net().inputSize())
                .setPretrainingEpochs(p.pretraining() == null ? 0 : p.pretraining().epochs())
                .setTrainingEpochs(p.training().epochs()).setDataSha256(p.dataSha256())
                .setTrainImages(p.trainImages()).setTrainPatients(p.trainPatients()).setSeed(p.seed())
                .setCreatedAt(p.createdAt());
        if (p.versions() != null) {
            b.putAllVersions(p.versions());
        }
        return b;
    }

    private ScoreImageResponse score(ScoreImageRequest request) {
        if (scorer.modelVersion().isEmpty()) {
            return noImage(NO_MODEL);
        }
        String claimed = request.getImageSha256().strip().toLowerCase(Locale.ROOT);
        if (!claimed.isEmpty() && !SHA256.matcher(claimed).matches()) {
            throw GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "image_sha256 is not a SHA-256",
                    List.of(new Violation("image_sha256", "must be 64 hexadecimal characters")));
        }
        if (scorer.busy()) {
            throw busy(); // refused before fetching and decoding: shedding load must be cheap
        }
        byte[] bytes;
        try {
            if (!request.getImage().isEmpty()) {
                bytes = request.getImage().toByteArray();
            } else {
                Optional<IngestImageClient.Fetched> stored = images.fetch(Caller.of(identity).rawToken(),
                        request.getPatientId().strip(), claimed);
                String hospital = request.getHospital().strip();
                if (stored.isEmpty() || !hospital.isEmpty() && !hospital.equals(stored.get().info().getHospital())) {
                    return noImage(claimed.isEmpty() ? NO_IMAGE : NO_SUCH_IMAGE);
                }
                bytes = stored.get().bytes();
            }
            String sha = sha256(bytes);
            if (!claimed.isEmpty() && !claimed.equals(sha)) {
                throw GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "image_sha256 does not match the image",
                        List.of(new Violation("image_sha256", "is not the SHA-256 of the image bytes")));
            }
            float[] pixels = scorer.prepare(bytes);
            XrayScorer.Score score = scorer.score(pixels).join();
            return ScoreImageResponse.newBuilder().setHasImage(true).setProbability(score.probability())
                    .setModelVersion(score.modelVersion()).setImageSha256(sha).build();
        } catch (InvalidImageException e) {
            throw GrpcProblems.of(Status.Code.INVALID_ARGUMENT, e.getMessage(),
                    List.of(new Violation("image", e.getMessage())));
        } catch (MicroBatcher.Busy e) {
            throw busy();
        } catch (MicroBatcher.Stopped e) {
            throw stopping();
        } catch (CompletionException e) {
            if (e.getCause() instanceof MicroBatcher.Stopped) {
                throw stopping();
            }
            LOG.error("X-ray scoring failed", e.getCause());
            throw GrpcProblems.of(Status.Code.INTERNAL, "X-ray scoring failed");
        }
    }

    private StatusRuntimeException busy() {
        return GrpcProblems.busy("every X-ray predictor is busy and " + config.queueCapacity()
                + " requests are waiting; retry later", config.busyRetryAfter());
    }

    private static StatusRuntimeException stopping() {
        return GrpcProblems.of(Status.Code.UNAVAILABLE, "imaging-service is stopping; retry");
    }

    private static ScoreImageResponse noImage(String reason) {
        return ScoreImageResponse.newBuilder().setHasImage(false).setReason(reason).build();
    }

    static String sha256(byte[] bytes) {
        return IngestImageClient.sha256(bytes);
    }
}
