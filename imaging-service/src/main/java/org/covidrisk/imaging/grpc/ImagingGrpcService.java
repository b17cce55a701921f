package org.covidrisk.imaging.grpc;

import jakarta.annotation.security.RolesAllowed;

import org.covidrisk.imaging.v1.ImagingServiceGrpc;
import org.covidrisk.imaging.v1.ScoreImageRequest;
import org.covidrisk.imaging.v1.ScoreImageResponse;
import org.covidrisk.platform.security.Roles;

import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;

/**
 * gRPC face of imaging-service. No X-ray store and no CNN are deployed yet (issue 7): every request is answered
 * with {@code has_image = false} and the reason, so the ensemble scores on clinical features alone and says so.
 */
@GrpcService
public class ImagingGrpcService extends ImagingServiceGrpc.ImagingServiceImplBase {

    /** Reason given while no imaging model is deployed. */
    static final String NO_MODEL = "no chest X-ray model is deployed; score uses clinical features only";

    @Override
    @RolesAllowed({Roles.CLINICIAN, Roles.MODEL_ADMIN})
    public void scoreImage(ScoreImageRequest request, StreamObserver<ScoreImageResponse> response) {
        response.onNext(ScoreImageResponse.newBuilder().setHasImage(false).setReason(NO_MODEL).build());
        response.onCompleted();
    }
}
