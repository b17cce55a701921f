package org.covidrisk.feature.grpc;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;

import org.covidrisk.feature.Featurizer;
import org.covidrisk.feature.StageFeatureSets;
import org.covidrisk.feature.admission.AdmissionFeaturizer;
import org.covidrisk.feature.imputation.ImputationService;
import org.covidrisk.feature.population.PopulationService;
import org.covidrisk.feature.v1.DescribeFeatureSetRequest;
import org.covidrisk.feature.v1.FeatureServiceGrpc;
import org.covidrisk.feature.v1.FeatureSet;
import org.covidrisk.feature.v1.FeatureVariant;
import org.covidrisk.feature.v1.FeaturizeAdmissionsRequest;
import org.covidrisk.feature.v1.FeaturizeRequest;
import org.covidrisk.feature.v1.FeaturizeResponse;
import org.covidrisk.feature.v1.FitImputerRequest;
import org.covidrisk.feature.v1.FitImputerResponse;
import org.covidrisk.feature.v1.ImputeRequest;
import org.covidrisk.feature.v1.ImputeResponse;
import org.covidrisk.feature.v1.MetaFeaturesRequest;
import org.covidrisk.feature.v1.MetaFeaturesResponse;
import org.covidrisk.ingest.v1.PatientRecord;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.grpc.GrpcProblems.Violation;
import org.covidrisk.platform.security.Roles;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;

/** gRPC face of feature-service. Stateless: records come in, feature vectors go out. */
@GrpcService
public class FeatureGrpcService extends FeatureServiceGrpc.FeatureServiceImplBase {

    @Inject
    PopulationService population;

    @Inject
    ImputationService imputation;

    @Override
    @RolesAllowed({Roles.CLINICIAN, Roles.MODEL_ADMIN})
    public void featurize(FeaturizeRequest request, StreamObserver<FeaturizeResponse> response) {
        if (request.getStage() < 1 || request.getStage() > 4) {
            response.onError(GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "stage must be 1-4",
                    List.of(new Violation("stage", "must be 1-4"))));
            return;
        }
        if (request.getVariant() == FeatureVariant.UNRECOGNIZED
                || request.getMissing() == org.covidrisk.feature.v1.MissingValues.UNRECOGNIZED) {
            response.onError(GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "unknown variant or missing-value mode",
                    List.of(new Violation("variant", "unknown value"))));
            return;
        }
        Featurizer featurizer = new Featurizer(request.getStage(), request.getVariant(), request.getStrict(),
                request.getMissing());
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
    @Blocking
    @RolesAllowed({Roles.CLINICIAN, Roles.MODEL_ADMIN})
    public void populationMetaFeatures(MetaFeaturesRequest request, StreamObserver<MetaFeaturesResponse> response) {
        MetaFeaturesResponse out;
        try {
            out = population.compute(request);
        } catch (StatusRuntimeException e) {
            response.onError(e);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.onError(GrpcProblems.of(Status.Code.CANCELLED, "interrupted"));
            return;
        }
        response.onNext(out);
        response.onCompleted();
    }

    @Override
    @RolesAllowed({Roles.CLINICIAN, Roles.MODEL_ADMIN})
    public void featurizeAdmissions(FeaturizeAdmissionsRequest request, StreamObserver<FeaturizeResponse> response) {
        AdmissionFeaturizer featurizer = new AdmissionFeaturizer();
        FeaturizeResponse.Builder out = FeaturizeResponse.newBuilder().setFeatureSet(featurizer.featureSet());
        for (int i = 0; i < request.getRecordsCount(); i++) {
            try {
                out.addRows(featurizer.featurize(request.getRecords(i)));
            } catch (AdmissionFeaturizer.InvalidMeasurementException e) {
                response.onError(GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "records[" + i + "]: "
                        + e.getMessage(), List.of(new Violation("records[" + i + "]." + e.field(), e.getMessage()))));
                return;
            }
        }
        response.onNext(out.build());
        response.onCompleted();
    }

    @Override
    @Blocking
    @RolesAllowed(Roles.MODEL_ADMIN)
    public void fitImputer(FitImputerRequest request, StreamObserver<FitImputerResponse> response) {
        answer(response, () -> imputation.fit(request));
    }

    @Override
    @RolesAllowed({Roles.CLINICIAN, Roles.MODEL_ADMIN})
    public void impute(ImputeRequest request, StreamObserver<ImputeResponse> response) {
        answer(response, () -> imputation.impute(request));
    }

    @Override
    @RolesAllowed({Roles.CLINICIAN, Roles.MODEL_ADMIN, Roles.ANALYST, Roles.NETWORK_ANALYST})
    public void describeFeatureSet(DescribeFeatureSetRequest request, StreamObserver<FeatureSet> response) {
        if (request.getStage() < 1 || request.getStage() > 4 || request.getVariant() == FeatureVariant.UNRECOGNIZED) {
            response.onError(GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "stage must be 1-4",
                    List.of(new Violation("stage", "must be 1-4"))));
            return;
        }
        response.onNext(StageFeatureSets.of(request.getStage(), request.getVariant()));
        response.onCompleted();
    }

    /** Sends the call's result, or the gRPC error it raised (already carrying its problem details). */
    private static <T> void answer(StreamObserver<T> response, java.util.function.Supplier<T> call) {
        T out;
        try {
            out = call.get();
        } catch (StatusRuntimeException e) {
            response.onError(e);
            return;
        }
        response.onNext(out);
        response.onCompleted();
    }
}
