package org.covidrisk.ensemble.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;

import org.covidrisk.ensemble.learn.TrainingData;
import org.covidrisk.ensemble.learn.XraySecondLayer;
import org.covidrisk.ensemble.v1.EnsembleServiceGrpc;
import org.covidrisk.ensemble.v1.ModelInfo;
import org.covidrisk.ensemble.v1.ScoreRequest;
import org.covidrisk.ensemble.v1.ScoreResponse;
import org.covidrisk.ensemble.v1.TrainRequest;
import org.covidrisk.ensemble.v1.TrainingCohort;
import org.covidrisk.ingest.v1.PatientRecord;
import org.covidrisk.ingest.v1.Sex;
import org.covidrisk.platform.grpc.BearerToken;
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

/** The X-ray second layer trained and served over gRPC, on the fakes' planted CNN scores. */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class XrayGrpcTest {

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
        FakeDownstreams.IMAGING_BUSY.set(false);
        test.close();
    }

    EnsembleServiceGrpc.EnsembleServiceBlockingStub as(String user, List<String> hospitals, String... roles) {
        return BearerToken.attach(EnsembleServiceGrpc.newBlockingStub(channel),
                TestTokens.token(user, hospitals, roles));
    }

    static ScoreRequest xray(String patient, int stage) {
        return ScoreRequest.newBuilder().setPatientId(patient).setStage(stage)
                .setCohort(TrainingCohort.TRAINING_COHORT_XRAY).build();
    }

    @Test
    void theSecondLayerIsTrainedOnTheImagedPatientsAndScoresAsRefitOnThem() {
        var admin = as("admin", List.of(), "model-admin");
        ModelInfo m = admin
                .train(TrainRequest.newBuilder().setCohort(TrainingCohort.TRAINING_COHORT_XRAY).setStage(0).setSeed(7)
                        .setPromote(true).build());
        assertEquals(TrainingCohort.TRAINING_COHORT_XRAY, m.getCohort());
        assertEquals(0, m.getStage());
        assertEquals(300, m.getNTrain(), "the 300 patients of the fake with a stored X-ray");
        double second = m.getMetricsOrThrow("auroc_second_layer");
        double cnn = m.getMetricsOrThrow("auroc_cnn_alone");
        double ageSex = m.getMetricsOrThrow("auroc_age_sex_alone");
        assertTrue(cnn > 0.75 && cnn < 0.99, "planted CNN signal, with noise: " + cnn);
        assertTrue(second > cnn, "age adds to the CNN (planted): " + second + " vs " + cnn);
        assertTrue(second > ageSex + 0.05, second + " vs age+sex " + ageSex);
        assertEquals(second, m.getMetricsOrThrow("auroc"), 1e-12);
        assertTrue(m.getProvenanceJson().contains("\"cnnModel\":\"fake-cnn-v1\""), m.getProvenanceJson());

        // the deployed model is the second layer refit on every imaged patient: recompute it here
        List<double[]> rows = new ArrayList<>();
        List<Boolean> died = new ArrayList<>();
        PatientRecord f0 = null;
        for (PatientRecord p : FakeDownstreams.cohort()) {
            if (FakeDownstreams.hasImage(p.getPatientId())) {
                rows.add(XraySecondLayer.row(FakeDownstreams.cnnProbability(p), p.getAge(),
                        p.getSex() == Sex.SEX_MALE, false, Double.NaN));
                died.add(p.getDied());
            }
            if (p.getPatientId().equals("f0")) {
                f0 = p;
            }
        }
        boolean[] y = new boolean[died.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = died.get(i);
        }
        double expected = XraySecondLayer.learner(7).fit(new TrainingData(XraySecondLayer.features(false), rows, y))
                .predict(XraySecondLayer.row(FakeDownstreams.cnnProbability(f0), f0.getAge(), true, false, 0));

        var doc = as("doc", List.of("MX-09-04", "MX-15-12"), "clinician");
        ScoreResponse r = doc.score(xray("f0", 0));
        assertTrue(r.getImageUsed());
        assertEquals(TrainingCohort.TRAINING_COHORT_XRAY, r.getCohort());
        assertEquals(m.getModelId(), r.getModelId());
        assertEquals(expected, r.getProbability(), 1e-9);
        assertTrue(Double.isNaN(r.getClinicalProbability()), "stage 0 has no clinical model");
        assertTrue(r.getImageNote().contains("fake-cnn-v1"), r.getImageNote());

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> doc.score(xray("f1", 0)));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode(), "f1 has no X-ray");
        e = assertThrows(StatusRuntimeException.class, () -> admin.train(TrainRequest.newBuilder()
                .setCohort(TrainingCohort.TRAINING_COHORT_XRAY).setLearner("lightgbm").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    }

    @Test
    void withAClinicalModelTheCombinedScoreIsServedOnTopOfDgeRequestsAndFallsBackWhenImagingIsBusy() {
        var admin = as("admin", List.of(), "model-admin");
        ModelInfo dge = admin.train(TrainRequest.newBuilder().setStage(4).setSeed(31).setPromote(true).build());
        ModelInfo xr = admin
                .train(TrainRequest.newBuilder().setCohort(TrainingCohort.TRAINING_COHORT_XRAY).setStage(4).setSeed(31)
                        .setPromote(true).build());
        assertEquals(4, xr.getStage());
        assertTrue(xr.getProvenanceJson().contains(dge.getModelId()), "the clinical model is in the provenance");
        assertTrue(xr.getMetricsMap().containsKey("auroc_clinical_alone"));

        var doc = as("doc", List.of("MX-09-04", "MX-15-12"), "clinician");
        ScoreRequest dgeF0 = ScoreRequest.newBuilder().setPatientId("f0").setStage(4).build();
        ScoreResponse combined = doc.score(dgeF0);
        assertTrue(combined.getImageUsed());
        assertEquals(TrainingCohort.TRAINING_COHORT_XRAY, combined.getCohort());
        assertEquals(xr.getModelId(), combined.getModelId());
        double clinical = combined.getClinicalProbability();
        assertTrue(clinical > 0 && clinical < 1, "the DGE model's own score: " + clinical);
        assertNotEquals(clinical, combined.getProbability(), 1e-6);
        assertEquals(combined.getProbability(), doc.score(xray("f0", 4)).getProbability(), 1e-12,
                "asking for the X-ray cohort gives the same combination");

        // no X-ray: the clinical score, saying why
        ScoreResponse noImage = doc.score(ScoreRequest.newBuilder().setPatientId("f1").setStage(4).build());
        assertFalse(noImage.getImageUsed());
        assertEquals(TrainingCohort.TRAINING_COHORT_DGE, noImage.getCohort());
        assertEquals(dge.getModelId(), noImage.getModelId());
        assertEquals("fake: no image", noImage.getImageNote());

        FakeDownstreams.IMAGING_BUSY.set(true);
        ScoreResponse fallback = doc.score(dgeF0);
        assertFalse(fallback.getImageUsed());
        assertEquals(TrainingCohort.TRAINING_COHORT_DGE, fallback.getCohort());
        assertEquals(dge.getModelId(), fallback.getModelId());
        assertEquals(clinical, fallback.getProbability(), 1e-12, "the clinical model's score of f0");
        assertTrue(fallback.getImageNote().contains("busy"), fallback.getImageNote());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> doc.score(xray("f0", 4)));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("busy"), e.getStatus().getDescription());
        e = assertThrows(StatusRuntimeException.class, () -> admin.train(TrainRequest.newBuilder()
                .setCohort(TrainingCohort.TRAINING_COHORT_XRAY).setStage(0).build()));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode(), "training does not skip images");
    }
}
