package org.covidrisk.gateway.client;

import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

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
import org.covidrisk.ensemble.v1.TrainingCohort;
import org.covidrisk.gateway.config.GatewayConfig;
import org.covidrisk.platform.grpc.BearerToken;
import org.covidrisk.platform.security.Caller;

import io.quarkus.grpc.GrpcClient;

/** Calls ensemble-service with the caller's token. */
@ApplicationScoped
public class EnsembleClient {

    @GrpcClient("ensemble")
    EnsembleServiceGrpc.EnsembleServiceBlockingStub stub;

    @Inject
    GatewayConfig config;

    private EnsembleServiceGrpc.EnsembleServiceBlockingStub as(Caller caller, java.time.Duration timeout) {
        return BearerToken.attach(stub, caller.rawToken()).withDeadlineAfter(timeout.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    public ScoreResponse score(Caller caller, ScoreRequest request) {
        return as(caller, config.callTimeout()).score(request);
    }

    public ModelInfo train(Caller caller, TrainRequest request) {
        return as(caller, config.trainTimeout()).train(request);
    }

    public ListModelsResponse models(Caller caller) {
        return as(caller, config.callTimeout()).listModels(ListModelsRequest.getDefaultInstance());
    }

    public Promotion promote(Caller caller, PromoteRequest request) {
        return as(caller, config.callTimeout()).promoteModel(request);
    }

    /** Promotions of a stage (0: every stage) of one cohort, or of every cohort when {@code cohort} is null. */
    public ListPromotionsResponse promotions(Caller caller, int stage, TrainingCohort cohort) {
        ListPromotionsRequest.Builder r = ListPromotionsRequest.newBuilder().setStage(stage);
        if (cohort != null) {
            r.setCohort(cohort);
        }
        return as(caller, config.callTimeout()).listPromotions(r.build());
    }

    public Report report(Caller caller, ReportRequest request) {
        return as(caller, config.callTimeout()).getReport(request);
    }
}
