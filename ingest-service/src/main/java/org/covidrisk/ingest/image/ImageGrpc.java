package org.covidrisk.ingest.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.covidrisk.ingest.v1.GetImageRequest;
import org.covidrisk.ingest.v1.ImageChunk;
import org.covidrisk.ingest.v1.ImageInfo;
import org.covidrisk.ingest.v1.ImageUploadChunk;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.grpc.GrpcProblems.Violation;
import org.covidrisk.platform.security.Caller;
import org.jboss.logging.Logger;

import com.google.protobuf.ByteString;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;

/**
 * The X-ray RPCs of ingest-service ({@code UploadImage}, {@code GetImage}); {@code IngestGrpcService} checks the
 * role and delegates here. Uploads are spooled to the store's temporary directory while hashed, never held in the
 * heap, and refused as soon as they pass the byte limit.
 */
@ApplicationScoped
public class ImageGrpc {

    private static final Logger LOG = Logger.getLogger(ImageGrpc.class);

    @Inject
    ImageStore store;

    /** The receiver of one {@code UploadImage} stream. */
    public StreamObserver<ImageUploadChunk> upload(Caller caller, StreamObserver<ImageInfo> response) {
        return new Receiver(caller, response);
    }

    /** Answers {@code GetImage}: the image's info, then its bytes in chunks. */
    public void get(Caller caller, GetImageRequest request, StreamObserver<ImageChunk> response) {
        ImageStore.Stored image;
        try {
            image = store.find(caller, request.getSha256(), request.getPatientId()).orElseThrow(
                    () -> new ImageRefusedException(ImageRefusedException.Kind.NOT_FOUND,
                            request.getSha256().isBlank() ? "patient_id" : "sha256",
                            request.getSha256().isBlank()
                                    ? "no X-ray of this patient in your hospital(s)"
                                    : "no such X-ray in your hospital(s)"));
        } catch (ImageRefusedException e) {
            response.onError(status(e));
            return;
        }
        try (InputStream in = store.open(image)) {
            response.onNext(ImageChunk.newBuilder().setInfo(image.info()).build());
            byte[] buf = new byte[store.chunkBytes()];
            int n;
            // Images are at most ingest.images.max-bytes: what the transport buffers for a slow reader is bounded.
            while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
                response.onNext(ImageChunk.newBuilder().setData(ByteString.copyFrom(buf, 0, n)).build());
            }
            response.onCompleted();
        } catch (IOException e) {
            LOG.errorf("a stored X-ray file cannot be read: %s", e.getClass().getSimpleName());
            response.onError(GrpcProblems.of(Status.Code.INTERNAL, "the stored image cannot be read"));
        }
    }

    static StatusRuntimeException status(ImageRefusedException e) {
        Status.Code code = switch (e.kind()) {
            case INVALID -> Status.Code.INVALID_ARGUMENT;
            case FORBIDDEN -> Status.Code.PERMISSION_DENIED;
            case CONFLICT -> Status.Code.ALREADY_EXISTS;
            case NOT_FOUND -> Status.Code.NOT_FOUND;
            case UNAVAILABLE -> Status.Code.UNAVAILABLE;
        };
        return GrpcProblems.of(code, e.getMessage(), List.of(new Violation(e.field(), e.getMessage())));
    }

    private final class Receiver implements StreamObserver<ImageUploadChunk> {
        private final Caller caller;
        private final StreamObserver<ImageInfo> response;
        private ImageStore.Header header;
        private Path file;
        private OutputStream out;
        private MessageDigest digest;
        private long bytes;
        private boolean done;

        Receiver(Caller caller, StreamObserver<ImageInfo> response) {
            this.caller = caller;
            this.response = response;
        }

        @Override
        public void onNext(ImageUploadChunk chunk) {
            if (done) {
                return;
            }
            try {
                if (chunk.hasHeader()) {
                    if (header != null) {
                        throw ImageRefusedException.invalid("header", "the header was sent twice");
                    }
                    header = store.check(caller, chunk.getHeader());
                    file = store.newSpoolFile();
                    out = Files.newOutputStream(file);
                    digest = MessageDigest.getInstance("SHA-256");
                    return;
                }
                if (header == null) {
                    throw ImageRefusedException.invalid("header", "the first message must be the header");
                }
                ByteString data = chunk.getData();
                bytes += data.size();
                if (bytes > store.maxBytes()) {
                    throw ImageRefusedException.invalid("image", "image is more than " + store.maxBytes()
                            + " bytes; at most " + store.maxBytes() + " are accepted");
                }
                for (var b : data.asReadOnlyByteBufferList()) {
                    digest.update(b.duplicate());
                }
                data.writeTo(out);
            } catch (ImageRefusedException e) {
                fail(status(e));
            } catch (IOException | NoSuchAlgorithmException e) {
                LOG.errorf("cannot spool an X-ray upload: %s", e.getClass().getSimpleName());
                fail(GrpcProblems.of(Status.Code.UNAVAILABLE, "the upload could not be spooled; retry"));
            }
        }

        @Override
        public void onError(Throwable t) {
            done = true;
            cleanUp();
        }

        @Override
        public void onCompleted() {
            if (done) {
                return;
            }
            if (header == null) {
                fail(status(ImageRefusedException.invalid("header", "no header and no image were sent")));
                return;
            }
            done = true;
            try {
                out.close();
                ImageInfo info = store.store(caller, header, file, HexFormat.of().formatHex(digest.digest()));
                response.onNext(info);
                response.onCompleted();
            } catch (ImageRefusedException e) {
                response.onError(status(e));
            } catch (IOException e) {
                response.onError(GrpcProblems.of(Status.Code.UNAVAILABLE, "the upload could not be spooled; retry"));
            } catch (RuntimeException e) {
                // unexpected: logged (never the content), answered without internals
                LOG.error("X-ray upload failed", e);
                response.onError(GrpcProblems.of(Status.Code.INTERNAL, "the upload failed; nothing was stored"));
            } finally {
                cleanUp();
            }
        }

        private void fail(StatusRuntimeException error) {
            done = true;
            cleanUp();
            response.onError(error);
        }

        private void cleanUp() {
            try {
                if (out != null) {
                    out.close();
                }
            } catch (IOException e) {
                LOG.debug("closing an X-ray spool failed", e);
            }
            if (file != null) {
                ImageStore.deleteQuietly(file);
            }
        }
    }
}
