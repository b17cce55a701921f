package org.covidrisk.imaging.client;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.covidrisk.imaging.config.ImagingConfig;
import org.covidrisk.imaging.model.InvalidImageException;
import org.covidrisk.ingest.v1.CohortRequest;
import org.covidrisk.ingest.v1.GetImageRequest;
import org.covidrisk.ingest.v1.ImageChunk;
import org.covidrisk.ingest.v1.ImageInfo;
import org.covidrisk.ingest.v1.IngestServiceGrpc;
import org.covidrisk.ingest.v1.PatientRecord;
import org.covidrisk.platform.grpc.BearerToken;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.jboss.logging.Logger;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;

/**
 * Fetches stored X-rays from ingest-service's image store with the caller's own token (ingest checks the tenancy
 * itself), by content hash or the patient's latest.
 */
@ApplicationScoped
public class IngestImageClient {

    private static final Logger LOG = Logger.getLogger(IngestImageClient.class);

    /** A stored image and its bytes (checked against its hash). */
    public record Fetched(ImageInfo info, byte[] bytes) {
    }

    /** Longest a cohort read may take (a whole hospital's X-ray patients). */
    private static final java.time.Duration COHORT_DEADLINE = java.time.Duration.ofMinutes(2);

    @GrpcClient("ingest")
    IngestServiceGrpc.IngestServiceBlockingStub stub;

    @Inject
    ImagingConfig config;

    /**
     * The image with this hash, or the patient's latest when {@code sha256} is empty; empty when ingest has none
     * the caller may read. Refusals of the caller (token, role, malformed hash) pass through; any other failure is
     * {@code UNAVAILABLE}.
     *
     * @throws InvalidImageException when the stored image is larger than this service accepts
     */
    public Optional<Fetched> fetch(String rawToken, String patientId, String sha256) throws InvalidImageException {
        Iterator<ImageChunk> stream;
        ImageInfo info;
        try {
            stream = BearerToken.attach(stub, rawToken)
                    .withDeadlineAfter(config.ingestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .getImage(GetImageRequest.newBuilder().setPatientId(patientId).setSha256(sha256).build());
            ImageChunk first = stream.next();
            if (!first.hasInfo()) {
                throw Status.INTERNAL.withDescription("no image info first").asRuntimeException();
            }
            info = first.getInfo();
            if (info.getSizeBytes() > config.maxImageBytes()) {
                drain(stream);
                throw new InvalidImageException("stored image is " + info.getSizeBytes() + " bytes; at most "
                        + config.maxImageBytes() + " are accepted");
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) info.getSizeBytes());
            while (stream.hasNext()) {
                stream.next().getData().writeTo(bytes);
            }
            byte[] data = bytes.toByteArray();
            if (!sha256(data).equals(info.getSha256())) {
                LOG.error("an image from ingest-service does not match its hash");
                throw GrpcProblems.of(Status.Code.DATA_LOSS, "the stored image is damaged");
            }
            return Optional.of(new Fetched(info, data));
        } catch (StatusRuntimeException e) {
            return switch (e.getStatus().getCode()) {
                case NOT_FOUND -> Optional.empty();
                case INVALID_ARGUMENT, UNAUTHENTICATED, PERMISSION_DENIED, DATA_LOSS -> throw e;
                default -> {
                    LOG.warnf("ingest-service image store unavailable (%s)", e.getStatus().getCode());
                    throw GrpcProblems.of(Status.Code.UNAVAILABLE, "the image store is unavailable; retry later");
                }
            };
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e); // ByteArrayOutputStream does not fail
        }
    }

    /**
     * The caller's patients with a stored X-ray (ingest's X-ray cohort, with the caller's own token: its hospitals
     * only). Read to the end: the stream holds a call open until then.
     */
    public List<PatientRecord> imagedPatients(String rawToken, boolean hospitalisedOnly) {
        List<PatientRecord> out = new ArrayList<>();
        try {
            Iterator<PatientRecord> it = BearerToken.attach(stub, rawToken)
                    .withDeadlineAfter(COHORT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                    .streamCohort(CohortRequest.newBuilder().setWithImageOnly(true)
                            .setHospitalisedOnly(hospitalisedOnly).build());
            it.forEachRemaining(out::add);
            return out;
        } catch (StatusRuntimeException e) {
            switch (e.getStatus().getCode()) {
                case INVALID_ARGUMENT, UNAUTHENTICATED, PERMISSION_DENIED -> throw e;
                default -> {
                    LOG.warnf("ingest-service cohort unavailable (%s)", e.getStatus().getCode());
                    throw GrpcProblems.of(Status.Code.UNAVAILABLE, "ingest-service did not answer; retry later");
                }
            }
        }
    }

    private static void drain(Iterator<ImageChunk> stream) {
        // a blocking server stream is only released once read to the end (or at its deadline)
        while (stream.hasNext()) {
            stream.next();
        }
    }

    /** Hex SHA-256 of {@code bytes}: the image store's key (one implementation for the whole service). */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
