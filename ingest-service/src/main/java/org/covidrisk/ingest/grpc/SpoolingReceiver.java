package org.covidrisk.ingest.grpc;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

import org.covidrisk.ingest.config.IngestConfig;
import org.covidrisk.ingest.service.UploadProgress;
import org.covidrisk.ingest.service.UploadRefusedException;
import org.covidrisk.ingest.service.UploadService;
import org.covidrisk.ingest.v1.UploadReport;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.grpc.GrpcProblems.Violation;
import org.covidrisk.platform.security.Caller;
import org.jboss.logging.Logger;

import com.google.protobuf.ByteString;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;

/**
 * Receives an upload stream (a header, then the file's bytes): spools the bytes to a temporary file (never the
 * heap) while hashing them and counting them for progress, then hands the file to the format's store and answers
 * its report, or the refusal as a gRPC status naming what is wrong. One class for every upload format, so they
 * share the batch id rules, the size limit, progress and error mapping.
 *
 * @param <C> the stream's message (header or bytes)
 * @param <H> the header
 */
abstract class SpoolingReceiver<C, H> implements StreamObserver<C> {

    private static final Logger LOG = Logger.getLogger(SpoolingReceiver.class);

    protected final Caller caller;
    private final StreamObserver<UploadReport> response;
    private final IngestConfig config;
    private final UploadProgress progress;
    private H header;
    private String batchId;
    private Path file;
    private OutputStream out;
    private MessageDigest digest;
    private long bytes;
    private boolean failed;
    private UploadProgress.Entry tracker;

    SpoolingReceiver(Caller caller, StreamObserver<UploadReport> response, IngestConfig config,
            UploadProgress progress) {
        this.caller = caller;
        this.response = response;
        this.config = config;
        this.progress = progress;
    }

    /** The header of a message, or null when it carries bytes. */
    protected abstract H headerOf(C chunk);

    /** The bytes of a message that is not a header. */
    protected abstract ByteString dataOf(C chunk);

    /** The client's batch id. */
    protected abstract String batchIdOf(H header);

    /** Refuses a header that cannot be used (beyond the batch id), or returns null. */
    protected StatusRuntimeException check(H header) {
        return null;
    }

    /** Header fields that change what the bytes mean are hashed before them (none by default). */
    protected void digestHeader(H header, MessageDigest digest) {
    }

    /** Validates and stores the spooled file; throws {@link UploadRefusedException} to refuse it. */
    protected abstract UploadReport store(H header, String batchId, Path file, byte[] sha256,
            UploadProgress.Entry tracker) throws IOException;

    @Override
    public void onNext(C chunk) {
        if (failed) {
            return;
        }
        try {
            H h = headerOf(chunk);
            if (h != null) {
                if (header != null) {
                    fail(Status.Code.INVALID_ARGUMENT, "the header was sent twice", "header");
                    return;
                }
                header = h;
                batchId = batchIdOf(h).strip();
                if (batchId.isEmpty() || batchId.length() > 128 || !batchId.matches("[A-Za-z0-9._:-]+")) {
                    fail(Status.Code.INVALID_ARGUMENT, "batch id must be 1-128 characters of A-Z a-z 0-9 . _ : -",
                            "batchId");
                    return;
                }
                StatusRuntimeException refused = check(h);
                if (refused != null) {
                    failed = true;
                    response.onError(refused);
                    return;
                }
                file = Files.createTempFile("ingest-", ".upload");
                out = Files.newOutputStream(file);
                digest = MessageDigest.getInstance("SHA-256");
                digestHeader(h, digest);
                tracker = progress.start(batchId, caller.username());
                return;
            }
            if (out == null) {
                fail(Status.Code.INVALID_ARGUMENT, "the first message must be the header", "header");
                return;
            }
            byte[] data = dataOf(chunk).toByteArray();
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
            UploadReport report = store(header, batchId, file, digest.digest(), tracker);
            progress.stored(tracker, report);
            response.onNext(report);
            response.onCompleted();
        } catch (UploadRefusedException e) {
            progress.refused(tracker, e.getMessage());
            response.onError(refusal(e, v -> new Violation(v.location(), v.reason())));
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

    /** The gRPC status of a refusal, with its violations named by the given function. */
    static StatusRuntimeException refusal(UploadRefusedException e,
            java.util.function.Function<org.covidrisk.ingest.dge.RowViolation, Violation> name) {
        Status.Code code = switch (e.kind()) {
            case INVALID -> Status.Code.INVALID_ARGUMENT;
            case FORBIDDEN -> Status.Code.PERMISSION_DENIED;
            case CONFLICT -> Status.Code.ALREADY_EXISTS;
            case TOO_LARGE -> Status.Code.RESOURCE_EXHAUSTED;
            case UNAVAILABLE -> Status.Code.UNAVAILABLE;
        };
        return GrpcProblems.of(code, e.getMessage(), e.violations().stream().map(name).toList());
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
