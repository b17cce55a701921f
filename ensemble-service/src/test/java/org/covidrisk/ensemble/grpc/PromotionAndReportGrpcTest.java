package org.covidrisk.ensemble.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.covidrisk.ensemble.ModelHoldout;
import org.covidrisk.ensemble.ModelVersion;
import org.covidrisk.ensemble.service.ModelRegistry;
import org.covidrisk.ensemble.v1.EnsembleServiceGrpc;
import org.covidrisk.ensemble.v1.FeatureStat;
import org.covidrisk.ensemble.v1.HospitalReport;
import org.covidrisk.ensemble.v1.ListModelsRequest;
import org.covidrisk.ensemble.v1.ListPromotionsRequest;
import org.covidrisk.ensemble.v1.ModelInfo;
import org.covidrisk.ensemble.v1.PromoteRequest;
import org.covidrisk.ensemble.v1.Promotion;
import org.covidrisk.ensemble.v1.ReliabilityBin;
import org.covidrisk.ensemble.v1.Report;
import org.covidrisk.ensemble.v1.ReportRequest;
import org.covidrisk.ensemble.v1.RocPoint;
import org.covidrisk.ensemble.v1.TrainRequest;
import org.covidrisk.platform.grpc.BearerToken;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.testing.TestChannel;
import org.covidrisk.platform.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * PromoteModel, ListPromotions and GetReport against the fake downstreams (400 patients, even rows in MX-09-04,
 * odd rows in MX-15-12). Each test uses its own stage, as they share one database.
 */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class PromotionAndReportGrpcTest {

    static final String OWN = "MX-09-04";
    static final String OTHER = "MX-15-12";

    @TestHTTPResource
    URL url;

    TestChannel test;
    ManagedChannel channel;

    @BeforeEach
    void open() {
        test = new TestChannel(url);
        channel = test.channel();
    }

    @AfterEach
    void close() throws InterruptedException {
        test.close();
    }

    EnsembleServiceGrpc.EnsembleServiceBlockingStub as(String user, List<String> hospitals, String... roles) {
        return BearerToken.attach(EnsembleServiceGrpc.newBlockingStub(channel),
                TestTokens.token(user, hospitals, roles));
    }

    @Test
    void promotionsRecordThePreviousVersionAndTheActorNewestFirst() {
        var alice = as("alice", List.of(), "model-admin");
        ModelInfo first = alice.train(TrainRequest.newBuilder().setStage(1).setSeed(1).setPromote(true).build());
        ModelInfo second = alice.train(TrainRequest.newBuilder().setStage(1).setSeed(2).build());
        assertFalse(second.getActive());

        List<Promotion> afterTraining = alice.listPromotions(ListPromotionsRequest.newBuilder().setStage(1).build())
                .getPromotionsList();
        assertEquals(1, afterTraining.size(), "Train with promote records a promotion; without, none");
        Promotion atTraining = afterTraining.get(0);
        assertEquals(first.getModelId(), atTraining.getModelId());
        assertEquals("alice", atTraining.getPromotedBy());
        assertEquals("", atTraining.getPreviousModelId(), "nothing was active before");
        assertEquals(ModelRegistry.PROMOTED_AT_TRAINING, atTraining.getReason());

        var bob = as("bob", List.of(), "model-admin");
        Promotion p = bob.promoteModel(PromoteRequest.newBuilder().setModelId(second.getModelId())
                .setReason("better calibrated").build());
        assertEquals(second.getModelId(), p.getModelId());
        assertEquals(second.getVersion(), p.getVersion());
        assertEquals(1, p.getStage());
        assertEquals(first.getModelId(), p.getPreviousModelId());
        assertEquals(first.getVersion(), p.getPreviousVersion());
        assertEquals("bob", p.getPromotedBy(), "the actor comes from the token");
        assertEquals("better calibrated", p.getReason());
        Instant.parse(p.getPromotedAt());
        Map<String, Boolean> active = activeFlags(bob);
        assertTrue(active.get(second.getModelId()));
        assertFalse(active.get(first.getModelId()), "one active model per stage");

        Promotion again = bob.promoteModel(PromoteRequest.newBuilder().setModelId(second.getModelId())
                .setReason("twice").build());
        assertEquals(p, again, "promoting the active model answers its promotion and writes nothing");

        Promotion back = alice.promoteModel(PromoteRequest.newBuilder().setModelId(first.getModelId()).build());
        assertEquals(second.getModelId(), back.getPreviousModelId());
        assertEquals(second.getVersion(), back.getPreviousVersion());

        var analyst = as("ana", List.of(OWN), "analyst");
        List<Promotion> all = analyst.listPromotions(ListPromotionsRequest.newBuilder().setStage(1).build())
                .getPromotionsList();
        assertEquals(List.of(back, p, atTraining), all, "newest first, no row for the no-op");
        for (int i = 1; i < all.size(); i++) {
            assertFalse(Instant.parse(all.get(i).getPromotedAt()).isAfter(Instant.parse(all.get(i - 1)
                    .getPromotedAt())));
        }
        assertTrue(analyst.listPromotions(ListPromotionsRequest.newBuilder().setStage(2).build())
                .getPromotionsList().stream().noneMatch(x -> x.getStage() != 2), "the stage filter holds");
        assertTrue(analyst.listPromotions(ListPromotionsRequest.getDefaultInstance()).getPromotionsList()
                .containsAll(all), "stage 0 lists every stage");
    }

    @Test
    void anAnalystSeesOnlyTheirHospitalsAndMetricsOverThemAlone() {
        var admin = as("admin", List.of(), "model-admin");
        ModelInfo m = admin.train(TrainRequest.newBuilder().setStage(2).setSeed(5).setPromote(true).build());

        Report network = as("net", List.of(), "network-analyst").getReport(ReportRequest.newBuilder().setStage(2)
                .build());
        assertEquals(m.getModelId(), network.getModel().getModelId());
        assertEquals(List.of(OWN, OTHER), network.getHospitalsList().stream().map(HospitalReport::getHospital)
                .toList());
        long holdoutRows = network.getHospitalsList().stream().mapToLong(HospitalReport::getN).sum();
        assertEquals(80, holdoutRows, "20 % of 400 patients held out");
        assertEquals(80, network.getMetricsOrThrow("n"));
        for (HospitalReport h : network.getHospitalsList()) {
            assertEquals((double) h.getDeaths() / h.getN(), h.getMortalityRate(), 1e-12);
            assertTrue(h.getMetricsMap().containsKey("auroc"));
        }
        assertTrue(network.getHoldout().contains("seed 5"), network.getHoldout());
        assertTrue(network.getHoldout().contains("20% of 400 rows"), network.getHoldout());

        Report own = as("ana", List.of(OWN), "analyst").getReport(ReportRequest.newBuilder()
                .setModelId(m.getModelId()).build());
        assertEquals(1, own.getHospitalsCount(), "only the hospitals of the token");
        HospitalReport ownRow = own.getHospitals(0);
        assertEquals(OWN, ownRow.getHospital());
        assertEquals(network.getHospitals(0), ownRow, "the same row as the network analyst's");
        assertEquals(ownRow.getN(), (long) own.getMetricsOrThrow("n"), "pooled over the own hospital only");
        assertEquals(ownRow.getMetricsOrThrow("auroc"), own.getMetricsOrThrow("auroc"), 1e-12);
        assertEquals(ownRow.getMetricsOrThrow("brier"), own.getMetricsOrThrow("brier"), 1e-12);
        assertNotEquals(network.getMetricsOrThrow("brier"), own.getMetricsOrThrow("brier"));
        assertEquals(ownRow.getN(), own.getReliabilityProfileList().stream().mapToLong(ReliabilityBin::getN).sum());
        assertEquals(holdoutRows, network.getReliabilityProfileList().stream().mapToLong(ReliabilityBin::getN)
                .sum());
        assertTrue(own.getHoldout().contains("hospitals of your account"), own.getHoldout());

        Report both = as("ana2", List.of(OWN, OTHER), "analyst").getReport(ReportRequest.newBuilder().setStage(2)
                .build());
        assertEquals(network.getMetricsMap(), both.getMetricsMap());
        assertEquals(network.getHospitalsList(), as("admin", List.of(), "model-admin").getReport(ReportRequest
                .newBuilder().setStage(2).build()).getHospitalsList());

        List<RocPoint> roc = network.getRocList();
        assertEquals(0, roc.get(0).getTruePositiveRate());
        assertEquals(1, roc.get(roc.size() - 1).getTruePositiveRate());
        assertEquals(1, roc.get(roc.size() - 1).getFalsePositiveRate());
        assertTrue(network.getReliabilityDiagramCount() > 0);
        assertFalse(network.hasHypothesisTest(), "logistic regression has no hypothesis-test estimator");

        // the planted risk rises with age (0.08 per year over 70 years) more than with pneumonia (1.5)
        Map<String, FeatureStat> features = network.getFeatureAnalysisList().stream()
                .collect(java.util.stream.Collectors.toMap(FeatureStat::getFeature, f -> f));
        assertEquals(2, features.size());
        assertTrue(features.get("age").getMutualInformation() > features.get("pneumonia").getMutualInformation(),
                network.getFeatureAnalysisList().toString());
        assertTrue(features.get("age").getPearson() > 0.2 && features.get("pneumonia").getPearson() > 0);
        assertEquals(network.getFeatureAnalysisList(), own.getFeatureAnalysisList());
    }

    @Test
    void aStageNetworkReportCarriesTheHypothesisTest() {
        ModelInfo m = as("admin", List.of(), "model-admin").train(TrainRequest.newBuilder().setLearner("stage-nn")
                .setStage(3).setSeed(8).build());
        Report r = as("net", List.of(), "network-analyst").getReport(ReportRequest.newBuilder()
                .setModelId(m.getModelId()).build());
        assertTrue(r.hasHypothesisTest());
        assertEquals("softmax", r.getHypothesisTest().getEstimator());
        assertEquals(0.05, r.getHypothesisTest().getAlpha());
        assertTrue(r.getHypothesisTest().getTypeI() <= 0.05);
        assertEquals(101, r.getHypothesisTest().getCurveCount());
    }

    @Test
    void aModelWithoutStoredPredictionsShowsAnAnalystOnlyTheirRowsFromItsProvenance() {
        ModelInfo m = as("admin", List.of(), "model-admin").train(TrainRequest.newBuilder().setStage(3).setSeed(3)
                .build());
        // what a model trained before reports looks like: per-hospital metrics in its provenance, no predictions
        QuarkusTransaction.requiringNew().run(() -> {
            ModelHoldout.deleteById(m.getModelId());
            ModelVersion v = ModelVersion.findById(m.getModelId());
            v.provenanceJson = v.provenanceJson.replaceFirst("^\\{", "{\"perHospital\":[{\"group\":\"" + OWN
                    + "\",\"n\":40,\"deaths\":10,\"mortalityRate\":0.25,\"metrics\":{\"auroc\":0.8}},{\"group\":\""
                    + OTHER + "\",\"n\":40,\"deaths\":20,\"mortalityRate\":0.5,\"metrics\":{\"auroc\":0.7}}],");
        });
        Report own = as("ana", List.of(OWN), "analyst").getReport(ReportRequest.newBuilder()
                .setModelId(m.getModelId()).build());
        assertEquals(1, own.getHospitalsCount());
        assertEquals(0.25, own.getHospitals(0).getMortalityRate());
        assertEquals(0.8, own.getHospitals(0).getMetricsOrThrow("auroc"));
        assertTrue(own.getMetricsMap().isEmpty(), "network-wide figures are not shown as the hospital's");
        assertFalse(own.getModel().getProvenanceJson().contains(OTHER), "nor in the provenance");
        assertFalse(as("ana", List.of(OWN), "analyst").listModels(ListModelsRequest.getDefaultInstance())
                .getModelsList().stream().anyMatch(x -> x.getProvenanceJson().contains(OTHER)));

        Report network = as("net", List.of(), "network-analyst").getReport(ReportRequest.newBuilder()
                .setModelId(m.getModelId()).build());
        assertEquals(2, network.getHospitalsCount());
        assertEquals(m.getMetricsMap(), network.getMetricsMap());
    }

    @Test
    void unknownModelsAndRoles() {
        var admin = as("admin", List.of(), "model-admin");
        assertCode(Status.Code.NOT_FOUND, "model_id", () -> admin.promoteModel(PromoteRequest.newBuilder()
                .setModelId("00000000-0000-0000-0000-000000000000").build()));
        assertCode(Status.Code.NOT_FOUND, "model_id", () -> admin.getReport(ReportRequest.newBuilder()
                .setModelId("no-such-model").build()));
        assertCode(Status.Code.NOT_FOUND, "stage", () -> admin.getReport(ReportRequest.newBuilder().setStage(4)
                .build()));
        assertCode(Status.Code.INVALID_ARGUMENT, "model_id", () -> admin.promoteModel(PromoteRequest
                .getDefaultInstance()));
        assertCode(Status.Code.INVALID_ARGUMENT, "stage", () -> admin.listPromotions(ListPromotionsRequest
                .newBuilder().setStage(7).build()));
        assertCode(Status.Code.INVALID_ARGUMENT, "reason", () -> admin.promoteModel(PromoteRequest.newBuilder()
                .setModelId("x").setReason("r".repeat(1001)).build()));

        var analyst = as("ana", List.of(OWN), "analyst");
        assertCode(Status.Code.PERMISSION_DENIED, null, () -> analyst.promoteModel(PromoteRequest.newBuilder()
                .setModelId("x").build()));
        var clinician = as("doc", List.of(OWN), "clinician");
        assertCode(Status.Code.PERMISSION_DENIED, null, () -> clinician.getReport(ReportRequest.getDefaultInstance()));
        assertCode(Status.Code.PERMISSION_DENIED, null, () -> clinician.listPromotions(ListPromotionsRequest
                .getDefaultInstance()));
        assertCode(Status.Code.PERMISSION_DENIED, null, () -> as("nohospital", List.of(), "analyst")
                .getReport(ReportRequest.getDefaultInstance()));
        assertCode(Status.Code.UNAUTHENTICATED, null, () -> EnsembleServiceGrpc.newBlockingStub(channel)
                .getReport(ReportRequest.getDefaultInstance()));
        // the roles that may read do read
        analyst.listPromotions(ListPromotionsRequest.getDefaultInstance());
        as("net", List.of(), "network-analyst").listPromotions(ListPromotionsRequest.getDefaultInstance());
    }

    private static Map<String, Boolean> activeFlags(EnsembleServiceGrpc.EnsembleServiceBlockingStub stub) {
        return stub.listModels(ListModelsRequest.getDefaultInstance()).getModelsList().stream()
                .collect(java.util.stream.Collectors.toMap(ModelInfo::getModelId, ModelInfo::getActive));
    }

    private static void assertCode(Status.Code code, String field, Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
        if (field != null) {
            assertEquals(field, GrpcProblems.violationsOf(e).get(0).field());
        }
    }
}
