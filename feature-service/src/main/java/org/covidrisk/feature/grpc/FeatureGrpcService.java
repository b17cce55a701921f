package org.covidrisk.feature.grpc;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;

import org.covidrisk.feature.Featurizer;
import org.covidrisk.feature.StageFeatureSets;
import org.covidrisk.feature.v1.DescribeFeatureSetRequest;
import org.covidrisk.feature.v1.FeatureServiceGrpc;
import org.covidrisk.feature.v1.FeatureSet;
import org.covidrisk.feature.v1.FeaturizeRequest;
import org.covidrisk.feature.v1.FeaturizeResponse;
import org.covidrisk.ingest.v1.PatientRecord;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.grpc.GrpcProblems.Violation;
import org.covidrisk.platform.security.Roles;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;

/** gRPC face of feature-service. Stateless: records come in, feature vectors go out. */
@GrpcService
public class FeatureGrpcService extends FeatureServiceGrpc.FeatureServiceImplBase {

    @Override
    @RolesAllowed({Roles.CLINICIAN, Roles.MODEL_ADMIN})
    public void featurize(FeaturizeRequest request, StreamObserver<FeaturizeResponse> response) {
        if (request.getStage() < 1 || request.getStage() > 4) {
            response.onError(GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "stage must be 1-4",
                    List.of(new Violation("stage", "must be 1-4"))));
            return;
        }
        Featurizer featurizer = new Featurizer(request.getStage(), request.getStrict());
        FeaturizeResponse.Builder out = FeaturizeResponse.newBuilder().setFeatureSet(featurizer.featureSet());
        for (PatientRecord r : request.getRecordsList()) {
            try {
                out.addRows(featurizer.featurize(r));
            } catch (Featurizer.MissingInputsException e) {
                response.onError(GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "patient " + r.getPatientId()
                        + " cannot be scored at stage " + request.getStage() + ": missing " + String.join(", ",
                                e.missing()),
                        e.missing().stream().map(m -> new Violation(m, "required at stage " + request.getStage()
                                + " but missing")).toList()));
                return;
            }
        }
        response.onNext(out.build());
        response.onCompleted();
    }

    @Override
    @RolesAllowed({Roles.CLINICIAN, Roles.MODEL_ADMIN, Roles.ANALYST, Roles.NETWORK_ANALYST})
    public void describeFeatureSet(DescribeFeatureSetRequest request, StreamObserver<FeatureSet> response) {
        if (request.getStage() < 1 || request.getStage() > 4) {
            response.onError(GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "stage must be 1-4",
                    List.of(new Violation("stage", "must be 1-4"))));
            return;
        }
        response.onNext(StageFeatureSets.of(request.getStage()));
        response.onCompleted();
    }
}
