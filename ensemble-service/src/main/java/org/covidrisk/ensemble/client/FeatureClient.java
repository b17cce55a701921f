package org.covidrisk.ensemble.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.covidrisk.feature.v1.FeatureServiceGrpc;
import org.covidrisk.feature.v1.FeaturizeRequest;
import org.covidrisk.feature.v1.FeaturizeResponse;
import org.covidrisk.ingest.v1.PatientRecord;
import org.covidrisk.platform.grpc.BearerToken;
import org.covidrisk.platform.security.Caller;

import io.quarkus.grpc.GrpcClient;

/** Calls feature-service with the caller's token. */
@ApplicationScoped
public class FeatureClient {

    @GrpcClient("feature")
    FeatureServiceGrpc.FeatureServiceBlockingStub stub;

    public FeaturizeResponse featurize(Caller caller, int stage, List<PatientRecord> records, boolean strict,
            Duration timeout) {
        return BearerToken.attach(stub, caller.rawToken()).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .featurize(FeaturizeRequest.newBuilder().setStage(stage).setStrict(strict).addAllRecords(records)
                        .build());
    }
}
