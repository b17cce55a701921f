package org.covidrisk.ensemble.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.covidrisk.ensemble.learn.PopulationSnapshot;
import org.covidrisk.feature.v1.FeatureServiceGrpc;
import org.covidrisk.feature.v1.FeaturizeRequest;
import org.covidrisk.feature.v1.FeaturizeResponse;
import org.covidrisk.feature.v1.MetaFeatureRow;
import org.covidrisk.feature.v1.MetaFeaturesRequest;
import org.covidrisk.feature.v1.PopulationMember;
import org.covidrisk.feature.v1.Vector;
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
        for (double[] q : queries) {
            Vector.Builder v = Vector.newBuilder();
            for (double x : q) {
                v.addValues(x);
            }
            r.addQueries(v);
        }
        List<MetaFeatureRow> rows = BearerToken.attach(stub, caller.rawToken())
                .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS).populationMetaFeatures(r.build())
                .getRowsList();
        return rows.stream().map(m -> new double[]{m.getLethality(), m.getDeathEntropy(), m.getAgeEntropy()})
                .toList();
    }
}
