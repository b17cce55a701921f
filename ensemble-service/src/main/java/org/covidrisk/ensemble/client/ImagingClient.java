package org.covidrisk.ensemble.client;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.covidrisk.ensemble.config.EnsembleConfig;
import org.covidrisk.imaging.v1.ImagingServiceGrpc;
import org.covidrisk.imaging.v1.ScoreImageRequest;
import org.covidrisk.imaging.v1.ScoreImageResponse;
import org.covidrisk.platform.grpc.BearerToken;
import org.covidrisk.platform.security.Caller;
import org.jboss.logging.Logger;

import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;

/**
 * Calls imaging-service. An unavailable imaging service degrades the score to clinical features (and says so)
 * rather than failing it.
 */
@ApplicationScoped
public class ImagingClient {

    private static final Logger LOG = Logger.getLogger(ImagingClient.class);

    @GrpcClient("imaging")
    ImagingServiceGrpc.ImagingServiceBlockingStub stub;

    @Inject
    EnsembleConfig config;

    public ScoreImageResponse score(Caller caller, String patientId, String hospital) {
        try {
            return scoreOrFail(caller, patientId, hospital, config.scoreCallTimeout());
        } catch (StatusRuntimeException e) {
            LOG.warnf("imaging-service unavailable (%s); scoring without an image", e.getStatus().getCode());
            return ScoreImageResponse.newBuilder().setHasImage(false)
                    .setReason("imaging service unavailable: " + e.getStatus().getCode()).build();
        }
    }

    /**
     * The CNN score of a patient's latest stored X-ray; imaging-service's errors (RESOURCE_EXHAUSTED when its queue
     * is full, UNAVAILABLE, ...) are thrown, for callers that must not go on without the image.
     */
    public ScoreImageResponse scoreOrFail(Caller caller, String patientId, String hospital, Duration timeout) {
        return BearerToken.attach(stub, caller.rawToken())
                .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .scoreImage(ScoreImageRequest.newBuilder().setPatientId(patientId).setHospital(hospital).build());
    }
}
