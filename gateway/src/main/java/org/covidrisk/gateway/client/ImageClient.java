package org.covidrisk.gateway.client;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.covidrisk.gateway.config.GatewayConfig;
import org.covidrisk.imaging.v1.ImagingServiceGrpc;
import org.covidrisk.imaging.v1.ScoreImageRequest;
import org.covidrisk.imaging.v1.ScoreImageResponse;
import org.covidrisk.ingest.v1.ImageInfo;
import org.covidrisk.ingest.v1.ImageUploadChunk;
import org.covidrisk.ingest.v1.ImageUploadHeader;
import org.covidrisk.ingest.v1.IngestServiceGrpc;
import org.covidrisk.platform.grpc.BearerToken;
import org.covidrisk.platform.security.Caller;

import com.google.protobuf.ByteString;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
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

    /** Streams the body to {@code UploadImage} after the header. */
    public ImageInfo upload(Caller caller, ImageUploadHeader header, InputStream body) {
        CompletableFuture<ImageInfo> result = new CompletableFuture<>();
        ReentrantLock lock = new ReentrantLock();
        Condition ready = lock.newCondition();
        Runnable wake = () -> {
            lock.lock();
            try {
                ready.signalAll();
            } finally {
                lock.unlock();
            }
        };
        @SuppressWarnings("unchecked")
        ClientCallStreamObserver<ImageUploadChunk>[] holder = new ClientCallStreamObserver[1];
        BearerToken.attach(IngestServiceGrpc.newStub(ingest), caller.rawToken())
                .withDeadlineAfter(config.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .uploadImage(new ClientResponseObserver<ImageUploadChunk, ImageInfo>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<ImageUploadChunk> request) {
                        holder[0] = request;
                        request.setOnReadyHandler(wake);
                    }

                    @Override
                    public void onNext(ImageInfo value) {
                        result.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        result.completeExceptionally(t);
                        wake.run();
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        ClientCallStreamObserver<ImageUploadChunk> request = holder[0];
        try {
            request.onNext(ImageUploadChunk.newBuilder().setHeader(header).build());
            byte[] buf = new byte[config.uploadChunkBytes()];
            int n;
            while ((n = body.readNBytes(buf, 0, buf.length)) > 0) {
                lock.lock();
                try {
                    while (!request.isReady() && !result.isDone()) {
                        ready.await(1, TimeUnit.SECONDS);
                    }
                } finally {
                    lock.unlock();
                }
                if (result.isDone()) {
                    break; // refused already (e.g. over the byte limit)
                }
                request.onNext(ImageUploadChunk.newBuilder().setData(ByteString.copyFrom(buf, 0, n)).build());
            }
            if (!result.isDone()) {
                request.onCompleted();
            }
            return result.get(config.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            request.cancel("client upload failed", e);
            throw Status.INVALID_ARGUMENT.withDescription("the image body could not be read").asRuntimeException();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            request.cancel("interrupted", e);
            throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StatusRuntimeException s) {
                throw s;
            }
            throw Status.INTERNAL.withDescription("upload failed").withCause(e.getCause()).asRuntimeException();
        } catch (TimeoutException e) {
            request.cancel("timeout", e);
            throw Status.DEADLINE_EXCEEDED.withDescription("the upload took too long").asRuntimeException();
        }
    }
}
