package org.covidrisk.ensemble.grpc;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;

import org.covidrisk.ensemble.Cohort;
import org.covidrisk.ensemble.mapping.ModelMapper;
import org.covidrisk.ensemble.service.ModelRegistry;
import org.covidrisk.ensemble.service.ReportService;
import org.covidrisk.ensemble.service.ScoringService;
import org.covidrisk.ensemble.service.TrainingService;
import org.covidrisk.ensemble.v1.EnsembleServiceGrpc;
import org.covidrisk.ensemble.v1.ListModelsRequest;
import org.covidrisk.ensemble.v1.ListModelsResponse;
import org.covidrisk.ensemble.v1.ListPromotionsRequest;
import org.covidrisk.ensemble.v1.ListPromotionsResponse;
import org.covidrisk.ensemble.v1.ModelInfo;
import org.covidrisk.ensemble.v1.PromoteRequest;
import org.covidrisk.ensemble.v1.Promotion;
import org.covidrisk.ensemble.v1.Report;
import org.covidrisk.ensemble.v1.ReportRequest;
import org.covidrisk.ensemble.v1.ScoreRequest;
import org.covidrisk.ensemble.v1.ScoreResponse;
import org.covidrisk.ensemble.v1.TrainRequest;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.grpc.GrpcProblems.Violation;
import org.covidrisk.platform.security.Caller;
import org.covidrisk.platform.security.Roles;
import org.jboss.logging.Logger;

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
    ReportService reports;

    @Inject
    ModelMapper mapper;

    @Override
    @Blocking
    @RolesAllowed(Roles.MODEL_ADMIN)
    public void train(TrainRequest request, StreamObserver<ModelInfo> response) {
        respond(response, () -> mapper.info(training.train(Caller.of(identity), request), true));
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
        respond(response, () -> {
            boolean everyHospital = ReportService.seesEveryHospital(Caller.of(identity));
            return ListModelsResponse.newBuilder()
                    .addAllModels(registry.list().stream().map(v -> mapper.info(v, everyHospital)).toList())
                    .build();
        });
    }

    /** Promoting the model that is already active is answered with its current promotion; nothing is written. */
    @Override
    @Blocking
    @RolesAllowed(Roles.MODEL_ADMIN)
    public void promoteModel(PromoteRequest request, StreamObserver<Promotion> response) {
        respond(response, () -> {
            if (request.getModelId().isBlank()) {
                throw GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "give the model id",
                        List.of(new Violation("model_id", "missing")));
            }
            if (request.getReason().length() > MAX_REASON) {
                throw GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "the reason is too long",
                        List.of(new Violation("reason", "at most " + MAX_REASON + " characters")));
            }
            Caller caller = Caller.of(identity);
            ModelRegistry.PromotionResult r = registry.promote(request.getModelId(), caller.username(),
                    request.getReason().strip());
            if (r.changed()) {
                LOG.infof("model %s (stage %d v%d) promoted by %s", r.promotion().modelId, r.promotion().stage,
                        r.promotion().version, caller.username());
            }
            return mapper.promotion(r.promotion());
        });
    }

    @Override
    @Blocking
    @RolesAllowed({Roles.MODEL_ADMIN, Roles.ANALYST, Roles.NETWORK_ANALYST})
    public void listPromotions(ListPromotionsRequest request, StreamObserver<ListPromotionsResponse> response) {
        respond(response, () -> {
            if (request.getStage() < 0 || request.getStage() > 4) {
                throw GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "stage must be 0 (every stage) or 1-4",
                        List.of(new Violation("stage", "must be 0-4")));
            }
            Cohort cohort = request.hasCohort() ? ScoringService.cohort(request.getCohort()) : null;
            return ListPromotionsResponse.newBuilder().addAllPromotions(registry.promotions(request.getStage())
                    .stream().filter(p -> cohort == null || cohort.name().equals(p.cohort)).map(mapper::promotion)
                    .toList()).build();
        });
    }

    @Override
    @Blocking
    @RolesAllowed({Roles.MODEL_ADMIN, Roles.ANALYST, Roles.NETWORK_ANALYST})
    public void getReport(ReportRequest request, StreamObserver<Report> response) {
        respond(response, () -> reports.report(Caller.of(identity), request));
    }

    /** Longest promotion reason stored (the column's width). */
    static final int MAX_REASON = 1000;

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
}
