package org.covidrisk.imaging.grpc;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;

import org.covidrisk.ingest.v1.CohortRequest;
import org.covidrisk.ingest.v1.GetImageRequest;
import org.covidrisk.ingest.v1.ImageChunk;
import org.covidrisk.ingest.v1.ImageInfo;
import org.covidrisk.ingest.v1.IngestServiceGrpc;
import org.covidrisk.ingest.v1.PatientRecord;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.security.Caller;

import com.google.protobuf.ByteString;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;

/**
 * ingest-service's image store as the imaging tests need it, served by the test application: images put by the
 * tests, tenancy by the token's hospitals, the bytes in small chunks, and one patient whose store is down.
 */
@GrpcService
public class FakeIngest extends IngestServiceGrpc.IngestServiceImplBase {

    /** Patient whose image fetch fails as if ingest-service were down. */
    static final String STORE_DOWN = "p-down";

    record Stored(ImageInfo info, byte[] bytes) {
    }

    static final Map<String, Stored> BY_SHA = new ConcurrentHashMap<>();
    static final Map<String, Stored> LATEST = new ConcurrentHashMap<>();
    /** Recorded outcome (died) of patients with a stored image: the X-ray cohort of {@code StreamCohort}. */
    static final Map<String, Boolean> OUTCOMES = new ConcurrentHashMap<>();
    /** User names of the tokens the fake was called with. */
    static final List<String> CALLERS = new CopyOnWriteArrayList<>();

    @Inject
    SecurityIdentity identity;

    static ImageInfo put(String patient, String hospital, byte[] bytes) {
        ImageInfo info = ImageInfo.newBuilder().setSha256(ImagingGrpcService.sha256(bytes)).setPatientId(patient)
                .setHospital(hospital).setMediaType("image/png").setSizeBytes(bytes.length).build();
        Stored s = new Stored(info, bytes);
        BY_SHA.put(info.getSha256(), s);
        LATEST.put(patient, s);
        return info;
    }

    @Override
    @Blocking
    @RolesAllowed({"clinician", "model-admin"})
    public void getImage(GetImageRequest request, StreamObserver<ImageChunk> response) {
        Caller caller = Caller.of(identity);
        CALLERS.add(caller.username());
        if (request.getPatientId().equals(STORE_DOWN)) {
            response.onError(Status.UNAVAILABLE.withDescription("database down").asRuntimeException());
            return;
        }
        Stored s = request.getSha256().isEmpty()
                ? LATEST.get(request.getPatientId())
                : BY_SHA.get(request
                        .getSha256());
        // as ingest-service's store: a model admin reads every hospital's images
        if (s == null || !caller.hasRole("model-admin") && !caller.belongsTo(s.info().getHospital())) {
            response.onError(GrpcProblems.of(Status.Code.NOT_FOUND, "no such X-ray in your hospital(s)"));
            return;
        }
        response.onNext(ImageChunk.newBuilder().setInfo(s.info()).build());
        for (int from = 0; from < s.bytes().length; from += 1000) {
            response.onNext(ImageChunk.newBuilder().setData(ByteString.copyFrom(s.bytes(), from,
                    Math.min(1000, s.bytes().length - from))).build());
        }
        response.onCompleted();
    }

    @Override
    @Blocking
    @RolesAllowed("model-admin")
    public void streamCohort(CohortRequest request, StreamObserver<PatientRecord> response) {
        Caller caller = Caller.of(identity);
        if (!request.getWithImageOnly()) {
            response.onError(Status.INVALID_ARGUMENT.withDescription("the fake serves the X-ray cohort only")
                    .asRuntimeException());
            return;
        }
        // as ingest-service: a model admin's cohort spans every hospital; nobody in the fake is hospitalised
        OUTCOMES.forEach((patient, died) -> {
            Stored s = LATEST.get(patient);
            if (s != null && !request.getHospitalisedOnly() && (caller.hasRole("model-admin")
                    || caller.belongsTo(s.info().getHospital()))) {
                response.onNext(PatientRecord.newBuilder().setPatientId(patient).setHospital(s.info().getHospital())
                        .setDied(died).build());
            }
        });
        response.onCompleted();
    }
}
