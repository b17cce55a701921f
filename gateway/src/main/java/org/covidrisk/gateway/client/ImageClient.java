package org.covidrisk.gateway.client;

import java.io.InputStream;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.covidrisk.gateway.config.GatewayConfig;
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
import org.covidrisk.ingest.v1.IngestServiceGrpc;
import org.covidrisk.platform.grpc.BearerToken;
import org.covidrisk.platform.security.Caller;

import io.quarkus.grpc.GrpcClient;

/**
 * Chest X-rays: uploads into ingest-service's image store and scores by imaging-service, with the caller's token.
 * Uploads stream in chunks under gRPC flow control, so an image never sits whole in the gateway's heap.
 */
@ApplicationScoped
public class ImageClient {

    /** The raw channel: client streaming needs the async stub, which Quarkus does not inject. */
    @GrpcClient("ingest")
    io.grpc.Channel ingest;

    @GrpcClient("imaging")
    ImagingServiceGrpc.ImagingServiceBlockingStub imaging;

    @Inject
    GatewayConfig config;

    /** The CNN's score of a stored X-ray of the patient (the latest, or the one with this hash). */
    public ScoreImageResponse score(Caller caller, String patientId, String sha256) {
        return BearerToken.attach(imaging, caller.rawToken())
                .withDeadlineAfter(config.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .scoreImage(ScoreImageRequest.newBuilder().setPatientId(patientId).setImageSha256(sha256).build());
    }

    /** The deployed X-ray CNN and its provenance ({@code deployed = false} when none is). */
    public ModelInfo model(Caller caller) {
        return BearerToken.attach(imaging, caller.rawToken())
                .withDeadlineAfter(config.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .getModel(GetModelRequest.getDefaultInstance());
    }

    /** Trains (and, when asked, deploys) an X-ray CNN on the caller's stored X-rays; may take minutes. */
    public TrainModelResponse train(Caller caller, TrainModelRequest request) {
        return BearerToken.attach(imaging, caller.rawToken())
                .withDeadlineAfter(config.trainTimeout().toMillis(), TimeUnit.MILLISECONDS).trainModel(request);
    }

    /** Streams the body to {@code UploadImage} after the header. */
    public ImageInfo upload(Caller caller, ImageUploadHeader header, InputStream body) {
        IngestServiceGrpc.IngestServiceStub stub = BearerToken.attach(IngestServiceGrpc.newStub(ingest),
                caller.rawToken()).withDeadlineAfter(config.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
        return StreamingUpload.send(stub::uploadImage, ImageUploadChunk.newBuilder().setHeader(header).build(),
                d -> ImageUploadChunk.newBuilder().setData(d).build(), body, config.uploadChunkBytes(),
                config.callTimeout(), "the image body could not be read");
    }
}
