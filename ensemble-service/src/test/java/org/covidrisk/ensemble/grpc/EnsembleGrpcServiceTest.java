package org.covidrisk.ensemble.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.List;

import org.covidrisk.ensemble.v1.EnsembleServiceGrpc;
import org.covidrisk.ensemble.v1.ListModelsRequest;
import org.covidrisk.ensemble.v1.ModelInfo;
import org.covidrisk.ensemble.v1.ScoreRequest;
import org.covidrisk.ensemble.v1.ScoreResponse;
import org.covidrisk.ensemble.v1.TrainRequest;
import org.covidrisk.ingest.v1.PatientRecord;
import org.covidrisk.platform.grpc.BearerToken;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.testing.TestChannel;
import org.covidrisk.platform.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class EnsembleGrpcServiceTest {

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
    void trainsAVersionedModelThenScoresWithIt() {
        var admin = as("admin", List.of(), "model-admin");
        ModelInfo m = admin.train(TrainRequest.newBuilder().setStage(4).setSeed(5).setPromote(true).build());
        assertEquals(400, m.getNTrain());
        assertTrue(m.getActive());
        assertTrue(m.getMetricsOrThrow("auroc") > 0.7, "hold-out AUROC " + m.getMetricsOrThrow("auroc"));
        assertTrue(m.getProvenanceJson().contains("\"seed\":5"), m.getProvenanceJson());
        assertTrue(m.getProvenanceJson().contains("dataSha256"));

        var doc = as("doc", List.of("MX-09-04"), "clinician");
        ScoreResponse high = doc.score(ScoreRequest.newBuilder().setStage(4)
                .setPatient(PatientRecord.newBuilder().setAge(88).setPneumonia(true).setHospital("MX-15-12")).build());
        ScoreResponse low = doc.score(ScoreRequest.newBuilder().setStage(4)
                .setPatient(PatientRecord.newBuilder().setAge(25).setPneumonia(false)).build());
        assertTrue(high.getProbability() > low.getProbability() + 0.3,
                high.getProbability() + " vs " + low.getProbability());
        assertTrue(high.getProbability() <= 1 && low.getProbability() >= 0);
        assertEquals("MX-09-04", high.getHospital(), "an ad-hoc patient belongs to the caller's hospital");
        assertEquals(m.getModelId(), high.getModelId());
        assertFalse(high.getImageUsed());

        ModelInfo second = admin.train(TrainRequest.newBuilder().setStage(4).setSeed(6).build());
        assertEquals(m.getVersion() + 1, second.getVersion());
        assertFalse(second.getActive(), "not promoted: the first stays active");
        List<ModelInfo> all = admin.listModels(ListModelsRequest.getDefaultInstance()).getModelsList();
        assertTrue(all.stream().filter(ModelInfo::getActive).count() >= 1);
    }

    @Test
    void lightGbmScoresCarryExplanationHitRateAndFeatureAnalysisProvenance() {
        var admin = as("admin", List.of(), "model-admin");
        ModelInfo m = admin.train(TrainRequest.newBuilder().setLearner("lightgbm").setStage(4).setSeed(9)
                .setPromote(true).build());
        assertEquals("lightgbm", m.getLearner());
        assertTrue(m.getProvenanceJson().contains("\"reliabilityProfile\""), m.getProvenanceJson());
        assertTrue(m.getProvenanceJson().contains("\"featureAnalysis\""), m.getProvenanceJson());
        assertTrue(m.getProvenanceJson().contains("\"holdoutPredictions\""));
        var doc = as("doc", List.of("MX-09-04"), "clinician");
        ScoreResponse r = doc.score(ScoreRequest.newBuilder().setStage(4)
                .setPatient(PatientRecord.newBuilder().setAge(90).setPneumonia(true)).build());
        assertEquals("lightgbm", r.getLearner());
        assertTrue(r.getConfidenceBinHitRate() >= 0 && r.getConfidenceBinHitRate() <= 1,
                "hit rate " + r.getConfidenceBinHitRate());
        assertEquals(r.getConfidenceBinHitRate() < 0.65, r.getAbstain(), "abstain follows the configured floor");
        assertEquals(2, r.getExplanationCount(), "every feature of the two-feature fake set, largest first");
        // the fake cohort's deaths are driven by age: it is the largest contribution for a 90-year-old
        assertEquals("age", r.getExplanation(0).getFeature());
        assertTrue(r.getExplanation(0).getContribution() > 0);
        assertEquals(90, r.getExplanation(0).getValue());

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> admin.train(TrainRequest
                .newBuilder().setLearner("xgboost").setStage(4).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals("learner", GrpcProblems.violationsOf(e).get(0).field());
    }

    @Test
    void aStackIsTrainedOverGrpcWithItsFoldsAndBaseFeaturesRecorded() throws Exception {
        var admin = as("admin", List.of(), "model-admin");
        ModelInfo m = admin.train(TrainRequest.newBuilder().setLearner("stacking").setStage(3).setSeed(4)
                .setStackWithBaseFeatures(true).build());
        assertEquals("stacking", m.getLearner());
        assertTrue(m.getMetricsOrThrow("auroc") > 0.7, "hold-out AUROC " + m.getMetricsOrThrow("auroc"));
        var provenance = new com.fasterxml.jackson.databind.ObjectMapper().readTree(m.getProvenanceJson());
        assertEquals(10, provenance.at("/options/folds").asInt());
        assertTrue(provenance.at("/options/withBaseFeatures").asBoolean());
        assertEquals(6, provenance.at("/options/base").size());
        assertEquals("stacking-v1", provenance.at("/artifactFormat").asText());
    }

    @Test
    void populationMetaFeaturesAreTrainedOnAndUsedWhenScoring() {
        var admin = as("admin", List.of(), "model-admin");
        ModelInfo m = admin.train(TrainRequest.newBuilder().setStage(1).setSeed(3).setPromote(true)
                .setPopulationMetaFeatures(true).setNeighbours(50).build());
        assertTrue(m.getProvenanceJson().contains("population_lethality"), m.getProvenanceJson());
        assertTrue(m.getProvenanceJson().contains("\"k\":50"), m.getProvenanceJson());
        var doc = as("doc", List.of("MX-09-04"), "clinician");
        double old = doc.score(ScoreRequest.newBuilder().setStage(1)
                .setPatient(PatientRecord.newBuilder().setAge(85).setPneumonia(true)).build()).getProbability();
        double young = doc.score(ScoreRequest.newBuilder().setStage(1)
                .setPatient(PatientRecord.newBuilder().setAge(22).setPneumonia(false)).build()).getProbability();
        assertTrue(old > young, old + " vs " + young);
    }

    @Test
    void storedPatientsAreScoredOnlyWithinTheCallersHospital() {
        as("admin", List.of(), "model-admin").train(TrainRequest.newBuilder().setStage(3).setPromote(true).build());
        var doc = as("doc", List.of("MX-09-04"), "clinician");
        ScoreResponse own = doc.score(ScoreRequest.newBuilder().setStage(3).setPatientId("f0").build());
        assertEquals("f0", own.getPatientId());
        StatusRuntimeException other = assertThrows(StatusRuntimeException.class,
                () -> doc.score(ScoreRequest.newBuilder().setStage(3).setPatientId("f1").build()));
        assertEquals(Status.Code.NOT_FOUND, other.getStatus().getCode());
    }

    @Test
    void refusals() {
        var doc = as("doc", List.of("MX-09-04"), "clinician");
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> doc.train(TrainRequest.newBuilder().setStage(4).build()));
        assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());

        e = assertThrows(StatusRuntimeException.class, () -> doc.score(ScoreRequest.newBuilder().setStage(1)
                .setPatient(PatientRecord.newBuilder().setAge(40)).build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode(), "no stage-1 model yet");

        as("admin", List.of(), "model-admin").train(TrainRequest.newBuilder().setStage(2).setPromote(true).build());
        e = assertThrows(StatusRuntimeException.class, () -> doc.score(ScoreRequest.newBuilder().setStage(2)
                .setPatient(PatientRecord.newBuilder().setPneumonia(true)).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals("age", GrpcProblems.violationsOf(e).get(0).field(), "the downstream's details pass through");

        e = assertThrows(StatusRuntimeException.class,
                () -> EnsembleServiceGrpc.newBlockingStub(channel).listModels(ListModelsRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
    }
}
