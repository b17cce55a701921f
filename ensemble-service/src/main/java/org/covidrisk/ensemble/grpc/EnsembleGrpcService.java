package org.covidrisk.ensemble.grpc;

import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;

import org.covidrisk.ensemble.ModelVersion;
import org.covidrisk.ensemble.service.ModelRegistry;
import org.covidrisk.ensemble.service.ScoringService;
import org.covidrisk.ensemble.service.TrainingService;
import org.covidrisk.ensemble.v1.EnsembleServiceGrpc;
import org.covidrisk.ensemble.v1.ListModelsRequest;
import org.covidrisk.ensemble.v1.ListModelsResponse;
import org.covidrisk.ensemble.v1.ModelInfo;
import org.covidrisk.ensemble.v1.ScoreRequest;
import org.covidrisk.ensemble.v1.ScoreResponse;
import org.covidrisk.ensemble.v1.TrainRequest;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.security.Caller;
import org.covidrisk.platform.security.Roles;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;

/** gRPC face of ensemble-service. */
@GrpcService
public class EnsembleGrpcService extends EnsembleServiceGrpc.EnsembleServiceImplBase {

    private static final Logger LOG = Logger.getLogger(EnsembleGrpcService.class);

    @Inject
    SecurityIdentity identity;

    @Inject
    TrainingService training;

    @Inject
    ScoringService scoring;

    @Inject
    ModelRegistry registry;

    @Inject
    ObjectMapper json;

    @Override
    @Blocking
    @RolesAllowed(Roles.MODEL_ADMIN)
    public void train(TrainRequest request, StreamObserver<ModelInfo> response) {
        respond(response, () -> info(training.train(Caller.of(identity), request)));
    }

    @Override
    @Blocking
    @RolesAllowed(Roles.CLINICIAN)
    public void score(ScoreRequest request, StreamObserver<ScoreResponse> response) {
        respond(response, () -> scoring.score(Caller.of(identity), request));
    }

    @Override
    @Blocking
    @RolesAllowed({Roles.MODEL_ADMIN, Roles.ANALYST, Roles.NETWORK_ANALYST})
    public void listModels(ListModelsRequest request, StreamObserver<ListModelsResponse> response) {
        respond(response, () -> ListModelsResponse.newBuilder()
                .addAllModels(registry.list().stream().map(this::info).toList()).build());
    }

    private interface Call<T> {
        T get();
    }

    /** Known gRPC errors (ours or a downstream's, trailers included) pass through; anything else is INTERNAL. */
    private static <T> void respond(StreamObserver<T> response, Call<T> call) {
        T value;
        try {
            value = call.get();
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.INTERNAL || e.getStatus().getCode() == Status.Code.UNKNOWN) {
                LOG.error("downstream failure", e);
            }
            response.onError(e);
            return;
        } catch (RuntimeException e) {
            LOG.error("ensemble call failed", e);
            response.onError(GrpcProblems.of(Status.Code.INTERNAL, "the ensemble service failed; see its log"));
            return;
        }
        response.onNext(value);
        response.onCompleted();
    }

    private ModelInfo info(ModelVersion v) {
        Map<String, Double> metrics;
        try {
            metrics = json.readValue(v.metricsJson, new TypeReference<Map<String, Double>>() {
            });
        } catch (Exception e) {
            metrics = Map.of();
        }
        ModelInfo.Builder b = ModelInfo.newBuilder().setModelId(v.modelId).setVersion(v.version)
                .setLearner(v.learner).setStage(v.stage).setFeatureSet(v.featureSet).setNTrain(v.nTrain)
                .setNDeaths(v.nDeaths).setProvenanceJson(v.provenanceJson).setCreatedAt(v.createdAt.toString())
                .setCreatedBy(v.createdBy).setActive(v.active);
        metrics.forEach((k, val) -> {
            if (val != null && !val.isNaN()) {
                b.putMetrics(k, val);
            }
        });
        return b.build();
    }
}
