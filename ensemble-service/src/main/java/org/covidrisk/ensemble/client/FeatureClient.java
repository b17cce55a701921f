package org.covidrisk.ensemble.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.covidrisk.ensemble.learn.PopulationSnapshot;
import org.covidrisk.feature.v1.FeatureServiceGrpc;
import org.covidrisk.feature.v1.FeatureSet;
import org.covidrisk.feature.v1.FeaturizeAdmissionsRequest;
import org.covidrisk.feature.v1.FeaturizeRequest;
import org.covidrisk.feature.v1.FeaturizeResponse;
import org.covidrisk.feature.v1.FitImputerRequest;
import org.covidrisk.feature.v1.FitImputerResponse;
import org.covidrisk.feature.v1.ImputationOptions;
import org.covidrisk.feature.v1.ImputeRequest;
import org.covidrisk.feature.v1.ImputeResponse;
import org.covidrisk.feature.v1.Imputer;
import org.covidrisk.feature.v1.MetaFeatureRow;
import org.covidrisk.feature.v1.MetaFeaturesRequest;
import org.covidrisk.feature.v1.MissingValues;
import org.covidrisk.feature.v1.PopulationMember;
import org.covidrisk.feature.v1.Vector;
import org.covidrisk.ingest.v1.AdmissionRecord;
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
            MissingValues missing, Duration timeout) {
        return BearerToken.attach(stub, caller.rawToken()).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .featurize(FeaturizeRequest.newBuilder().setStage(stage).setStrict(strict).setMissing(missing)
                        .addAllRecords(records).build());
    }

    /** Admission features (stacking paper) of admission records; missing inputs stay NaN. */
    public FeaturizeResponse featurizeAdmissions(Caller caller, List<AdmissionRecord> records, Duration timeout) {
        return BearerToken.attach(stub, caller.rawToken()).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .featurizeAdmissions(FeaturizeAdmissionsRequest.newBuilder().addAllRecords(records).build());
    }

    /**
     * MICE on training rows (NaN = missing) with the outcome as a predictor: m completed matrices and the imputer
     * (fitted without the outcome) to store with the model.
     */
    public FitImputerResponse fitImputer(Caller caller, FeatureSet set, List<double[]> rows, boolean[] died,
            ImputationOptions options, Duration timeout) {
        FitImputerRequest.Builder r = FitImputerRequest.newBuilder().setFeatureSet(set).setOptions(options);
        rows.forEach(x -> r.addRows(vector(x)));
        for (boolean d : died) {
            r.addDied(d);
        }
        return BearerToken.attach(stub, caller.rawToken()).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .fitImputer(r.build());
    }

    /** A stored imputer applied to rows (NaN = missing): m completed versions and the imputed names per row. */
    public ImputeResponse impute(Caller caller, Imputer imputer, List<double[]> rows, long seed, Duration timeout) {
        ImputeRequest.Builder r = ImputeRequest.newBuilder().setImputer(imputer).setSeed(seed);
        rows.forEach(x -> r.addRows(vector(x)));
        return BearerToken.attach(stub, caller.rawToken()).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .impute(r.build());
    }

    private static Vector vector(double[] x) {
        Vector.Builder v = Vector.newBuilder();
        for (double d : x) {
            v.addValues(d);
        }
        return v.build();
    }

    /**
     * Population meta-features of the queries against the population; with no queries, of every member against
     * the others. Each row: lethality, death entropy, age entropy.
     */
    public List<double[]> metaFeatures(Caller caller, int k, PopulationSnapshot population, List<double[]> queries,
            Duration timeout) {
        MetaFeaturesRequest.Builder r = MetaFeaturesRequest.newBuilder().setK(k);
        for (int i = 0; i < population.rows().size(); i++) {
            PopulationMember.Builder m = PopulationMember.newBuilder().setDied(population.died()[i])
                    .setAge(population.age()[i]);
            for (double v : population.rows().get(i)) {
                m.addValues(v);
            }
            r.addPopulation(m);
        }
        queries.forEach(q -> r.addQueries(vector(q)));
        List<MetaFeatureRow> rows = BearerToken.attach(stub, caller.rawToken())
                .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS).populationMetaFeatures(r.build())
                .getRowsList();
        return rows.stream().map(m -> new double[]{m.getLethality(), m.getDeathEntropy(), m.getAgeEntropy()})
                .toList();
    }
}
