package org.covidrisk.feature.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.List;

import org.covidrisk.feature.FeaturizerTest;
import org.covidrisk.feature.admission.AdmissionFeaturizerTest;
import org.covidrisk.feature.v1.DescribeFeatureSetRequest;
import org.covidrisk.feature.v1.FeatureRow;
import org.covidrisk.feature.v1.FeatureServiceGrpc;
import org.covidrisk.feature.v1.FeaturizeAdmissionsRequest;
import org.covidrisk.feature.v1.FeaturizeRequest;
import org.covidrisk.feature.v1.FeaturizeResponse;
import org.covidrisk.feature.v1.FitImputerRequest;
import org.covidrisk.feature.v1.FitImputerResponse;
import org.covidrisk.feature.v1.ImputationOptions;
import org.covidrisk.feature.v1.ImputeRequest;
import org.covidrisk.feature.v1.ImputeResponse;
import org.covidrisk.feature.v1.ImputedMatrix;
import org.covidrisk.feature.v1.MetaFeaturesRequest;
import org.covidrisk.feature.v1.MetaFeaturesResponse;
import org.covidrisk.feature.v1.MissingValues;
import org.covidrisk.feature.v1.PooledEstimate;
import org.covidrisk.feature.v1.PopulationMember;
import org.covidrisk.feature.v1.Vector;
import org.covidrisk.platform.grpc.BearerToken;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.testing.TestChannel;
import org.covidrisk.platform.testing.TestTokens;
import org.junit.jupiter.api.Test;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class FeatureGrpcServiceTest {

    @TestHTTPResource
    URL url;

    @Test
    void featurisesABatchAndRefusesMissingStageInputsByName() throws Exception {
        try (TestChannel test = new TestChannel(url)) {
            var stub = BearerToken.attach(FeatureServiceGrpc.newBlockingStub(test.channel()),
                    TestTokens.token("admin", List.of(), "model-admin"));
            FeaturizeResponse r = stub.featurize(FeaturizeRequest.newBuilder().setStage(2)
                    .addRecords(FeaturizerTest.hospitalisedMan())
                    .addRecords(FeaturizerTest.hospitalisedMan().clearAge())
                    .build());
            assertEquals("plos-stage-2", r.getFeatureSet().getName());
            assertEquals(2, r.getRowsCount());
            assertEquals(r.getFeatureSet().getFeaturesCount(), r.getRows(0).getValuesCount());
            assertTrue(r.getRows(1).getImputedList().contains("age"), "lenient mode imputes and says so");

            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> stub.featurize(FeaturizeRequest.newBuilder().setStage(4).setStrict(true)
                            .addRecords(FeaturizerTest.hospitalisedMan().clearIcu()).build()));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
            assertEquals("icu", GrpcProblems.violationsOf(e).get(0).field());

            e = assertThrows(StatusRuntimeException.class,
                    () -> stub.describeFeatureSet(DescribeFeatureSetRequest.newBuilder().setStage(7).build()));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        }
    }

    static PopulationMember member(double a, double b, boolean died, double age) {
        return PopulationMember.newBuilder().addValues(a).addValues(b).setDied(died).setAge(age).build();
    }

    @Test
    void populationMetaFeaturesOverGrpc() throws Exception {
        try (TestChannel test = new TestChannel(url)) {
            var stub = BearerToken.attach(FeatureServiceGrpc.newBlockingStub(test.channel()),
                    TestTokens.token("admin", List.of(), "model-admin"));
            List<PopulationMember> pop = List.of(member(1, 0, true, 80), member(0.9, 0.1, true, 85),
                    member(0, 1, false, 30), member(0.1, 0.9, false, 35));
            MetaFeaturesResponse self = stub.populationMetaFeatures(MetaFeaturesRequest.newBuilder().setK(1)
                    .addAllPopulation(pop).build());
            assertEquals("exact", self.getSearch());
            assertEquals(4, self.getRowsCount());
            assertEquals(1.0, self.getRows(0).getLethality(), 1e-12, "its nearest other member died");
            assertEquals(0.0, self.getRows(2).getLethality(), 1e-12);

            MetaFeaturesResponse q = stub.populationMetaFeatures(MetaFeaturesRequest.newBuilder().setK(2)
                    .addAllPopulation(pop).addQueries(Vector.newBuilder().addValues(1).addValues(0))
                    .addQueries(Vector.newBuilder().addValues(0.2).addValues(1)).build());
            assertEquals(1.0, q.getRows(0).getLethality(), 1e-12);
            assertEquals(0.0, q.getRows(0).getDeathEntropy(), 1e-12);
            assertEquals(0.0, q.getRows(0).getAgeEntropy(), 1e-12, "both neighbours in their eighties");
            assertEquals(0.0, q.getRows(1).getLethality(), 1e-12);
            assertEquals(0.0, q.getRows(1).getAgeEntropy(), 1e-12, "ages 30 and 35: one decile");

            MetaFeaturesResponse all = stub.populationMetaFeatures(MetaFeaturesRequest.newBuilder().setK(4)
                    .addAllPopulation(pop).addQueries(Vector.newBuilder().addValues(1).addValues(0)).build());
            assertEquals(0.5, all.getRows(0).getLethality(), 1e-12);
            assertEquals(1.0, all.getRows(0).getDeathEntropy(), 1e-12);
            assertEquals(1.0, all.getRows(0).getAgeEntropy(), 1e-12, "deciles 8, 8, 3, 3: one bit");

            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.populationMetaFeatures(
                    MetaFeaturesRequest.newBuilder().addAllPopulation(pop).addQueries(Vector.newBuilder()
                            .addValues(1)).build()));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
            assertEquals("queries[0]", GrpcProblems.violationsOf(e).get(0).field());
        }
    }

    @Test
    void keepsMissingInputsFitsAnImputerAndImputesANewPatientWithoutOutcome() throws Exception {
        try (TestChannel test = new TestChannel(url)) {
            var stub = BearerToken.attach(FeatureServiceGrpc.newBlockingStub(test.channel()),
                    TestTokens.token("admin", List.of(), "model-admin"));
            java.util.Random rnd = new java.util.Random(3);
            FeaturizeRequest.Builder training = FeaturizeRequest.newBuilder().setStage(2)
                    .setMissing(MissingValues.MISSING_VALUES_KEEP);
            for (int i = 0; i < 300; i++) {
                int age = 20 + rnd.nextInt(70);
                var r = FeaturizerTest.hospitalisedMan().setPatientId("p" + i).setAge(age)
                        .setDiabetes(rnd.nextDouble() < age / 120.0).setDied(rnd.nextDouble() < age / 100.0);
                if (rnd.nextDouble() < 0.2) {
                    r.clearDiabetes();
                }
                if (rnd.nextDouble() < 0.1) {
                    r.clearAge();
                }
                training.addRecords(r);
            }
            FeaturizeResponse f = stub.featurize(training.build());
            int age = f.getFeatureSet().getFeaturesList().stream().map(s -> s.getName()).toList().indexOf("age");
            long nan = f.getRowsList().stream().filter(r -> Double.isNaN(r.getValues(age))).count();
            assertTrue(nan > 10, "missing ages stay NaN: " + nan);
            FeatureRow withMissingAge = f.getRowsList().stream().filter(r -> Double.isNaN(r.getValues(age)))
                    .findFirst().orElseThrow();
            assertEquals("missing", withMissingAge.getImputedInputsList().stream()
                    .filter(i -> i.getInput().equals("age")).findFirst().orElseThrow().getMethod());

            FitImputerResponse fit = stub.fitImputer(FitImputerRequest.newBuilder()
                    .setFeatureSet(f.getFeatureSet())
                    .addAllRows(f.getRowsList().stream().map(r -> Vector.newBuilder().addAllValues(r.getValuesList())
                            .build()).toList())
                    .addAllDied(f.getRowsList().stream().map(FeatureRow::getDied).toList())
                    .setOptions(ImputationOptions.newBuilder().setImputations(3).setSeed(5)).build());
            assertEquals(3, fit.getImputationsCount());
            for (ImputedMatrix m : fit.getImputationsList()) {
                assertEquals(300, m.getRowsCount());
                assertTrue(m.getRowsList().stream().flatMap(v -> v.getValuesList().stream())
                        .noneMatch(v -> Double.isNaN(v)), "completed matrices have no NaN");
            }
            PooledEstimate pooledAge = fit.getPooledMeansList().stream().filter(p -> p.getFeature().equals("age"))
                    .findFirst().orElseThrow();
            assertEquals(nan, pooledAge.getMissing());
            assertEquals(55, pooledAge.getEstimate(), 6, "ages 20-89");
            assertTrue(pooledAge.getTotal() >= pooledAge.getWithin());

            // scoring: a new patient, no outcome, age missing
            Vector patient = Vector.newBuilder().addAllValues(withMissingAge.getValuesList()).build();
            ImputeResponse imputed = stub.impute(ImputeRequest.newBuilder().setImputer(fit.getImputer())
                    .addRows(patient).setSeed(1).build());
            assertEquals(3, imputed.getImputationsCount());
            assertEquals(List.of("age"), imputed.getImputed(0).getFeaturesList());
            double a = imputed.getImputations(0).getRows(0).getValues(age);
            assertTrue(a >= 20 && a < 90, "an observed age is drawn: " + a);

            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.impute(ImputeRequest
                    .newBuilder().setImputer(fit.getImputer()).addRows(Vector.newBuilder().addValues(1)).build()));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
            assertEquals("rows[0]", GrpcProblems.violationsOf(e).get(0).field());

            var clinician = BearerToken.attach(FeatureServiceGrpc.newBlockingStub(test.channel()),
                    TestTokens.token("c", List.of("MX-09-04"), "clinician"));
            e = assertThrows(StatusRuntimeException.class, () -> clinician.fitImputer(FitImputerRequest
                    .getDefaultInstance()));
            assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
        }
    }

    @Test
    void admissionFeaturesOverGrpcNameAnUnknownUnit() throws Exception {
        try (TestChannel test = new TestChannel(url)) {
            var stub = BearerToken.attach(FeatureServiceGrpc.newBlockingStub(test.channel()),
                    TestTokens.token("c", List.of("BR-01"), "clinician"));
            FeaturizeResponse r = stub.featurizeAdmissions(FeaturizeAdmissionsRequest.newBuilder()
                    .addRecords(AdmissionFeaturizerTest.patient()).build());
            assertEquals("admission-v1", r.getFeatureSet().getName());
            List<String> names = r.getFeatureSet().getFeaturesList().stream().map(f -> f.getName()).toList();
            assertEquals(184.0, r.getRows(0).getValues(names.indexOf("spo2_fio2_ratio")), 1e-9);
            assertTrue(Double.isNaN(r.getRows(0).getValues(names.indexOf("crp"))), "not measured: NaN");
            assertTrue(r.getRows(0).getDied());

            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.featurizeAdmissions(
                    FeaturizeAdmissionsRequest.newBuilder().addRecords(AdmissionFeaturizerTest.patient())
                            .addRecords(AdmissionFeaturizerTest.patient().addLabs(org.covidrisk.ingest.v1.Measurement
                                    .newBuilder().setCode("sodium").setValue(140).setUnit("mg/dL")))
                            .build()));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
            assertEquals("records[1].labs.sodium", GrpcProblems.violationsOf(e).get(0).field());
        }
    }

    @Test
    void onlyClinicalRolesMayFeaturise() throws Exception {
        try (TestChannel test = new TestChannel(url)) {
            var steward = BearerToken.attach(FeatureServiceGrpc.newBlockingStub(test.channel()),
                    TestTokens.token("st", List.of("MX-09-04"), "data-steward"));
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> steward
                    .featurize(FeaturizeRequest.newBuilder().setStage(1).build()));
            assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
            e = assertThrows(StatusRuntimeException.class, () -> FeatureServiceGrpc.newBlockingStub(test.channel())
                    .describeFeatureSet(DescribeFeatureSetRequest.newBuilder().setStage(1).build()));
            assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
        }
    }
}
