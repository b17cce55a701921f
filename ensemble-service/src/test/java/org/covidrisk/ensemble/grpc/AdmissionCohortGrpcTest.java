package org.covidrisk.ensemble.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.List;

import org.covidrisk.ensemble.v1.EnsembleServiceGrpc;
import org.covidrisk.ensemble.v1.ListPromotionsRequest;
import org.covidrisk.ensemble.v1.ModelInfo;
import org.covidrisk.ensemble.v1.ReportRequest;
import org.covidrisk.ensemble.v1.ScoreRequest;
import org.covidrisk.ensemble.v1.ScoreResponse;
import org.covidrisk.ensemble.v1.TrainRequest;
import org.covidrisk.ensemble.v1.TrainingCohort;
import org.covidrisk.ingest.v1.AdmissionRecord;
import org.covidrisk.ingest.v1.Measurement;
import org.covidrisk.ingest.v1.PatientRecord;
import org.covidrisk.platform.grpc.BearerToken;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.testing.TestChannel;
import org.covidrisk.platform.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Admission-record models over gRPC: trained on the fake admissions (death planted on age and CRP) through the
 * DGE path's imputation, hold-out and registry, stored under cohort ADMISSIONS stage 0, and scored by patient id and
 * ad hoc.
 */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
class AdmissionCohortGrpcTest {

    @TestHTTPResource
    URL url;

    TestChannel test;

    @BeforeEach
    void open() {
        test = new TestChannel(url);
    }

    @AfterEach
    void close() throws InterruptedException {
        test.close();
    }

    EnsembleServiceGrpc.EnsembleServiceBlockingStub as(String user, List<String> hospitals, String... roles) {
        return BearerToken.attach(EnsembleServiceGrpc.newBlockingStub(test.channel()),
                TestTokens.token(user, hospitals, roles));
    }

    static ScoreRequest.Builder admissions() {
        return ScoreRequest.newBuilder().setCohort(TrainingCohort.TRAINING_COHORT_ADMISSIONS);
    }

    @Test
    void anAdmissionModelIsTrainedThenScoresStoredAndAdHocAdmissions() throws Exception {
        var admin = as("admin", List.of(), "model-admin");
        int fits = FakeDownstreams.FIT_CALLS.get();
        ModelInfo m = admin.train(TrainRequest.newBuilder().setCohort(TrainingCohort.TRAINING_COHORT_ADMISSIONS)
                .setLearner("logistic").setSeed(3).setPromote(true).build());
        assertEquals(TrainingCohort.TRAINING_COHORT_ADMISSIONS, m.getCohort());
        assertEquals(0, m.getStage());
        assertEquals(300, m.getNTrain(), "the ten admissions without an outcome are left out");
        assertTrue(m.getActive());
        assertTrue(m.getMetricsOrThrow("auroc") > 0.75, "hold-out AUROC " + m.getMetricsOrThrow("auroc"));
        assertEquals(fits + 2, FakeDownstreams.FIT_CALLS.get(), "MICE fitted on the training split and on all rows");
        JsonNode provenance = new ObjectMapper().readTree(m.getProvenanceJson());
        assertEquals("fake-admission", provenance.at("/featureSet").asText());
        assertEquals("[\"age\",\"crp\"]", provenance.at("/features").toString());
        assertEquals("admissions", provenance.at("/cohort/records").asText());
        assertEquals("mice", provenance.at("/missingValues").asText());
        assertEquals(30, provenance.at("/imputation/missingCells/crp").asInt(), "one in ten of 300 lacks CRP");

        // the admission model's report and promotions are asked for by cohort (its stage is 0)
        assertEquals(m.getModelId(), admin.getReport(ReportRequest.newBuilder()
                .setCohort(TrainingCohort.TRAINING_COHORT_ADMISSIONS).build()).getModel().getModelId());
        var own = admin.listPromotions(ListPromotionsRequest.newBuilder()
                .setCohort(TrainingCohort.TRAINING_COHORT_ADMISSIONS).build()).getPromotionsList();
        assertTrue(own.stream().anyMatch(p -> p.getModelId().equals(m.getModelId())), own.toString());
        assertTrue(own.stream().allMatch(p -> p.getCohort() == TrainingCohort.TRAINING_COHORT_ADMISSIONS));
        assertTrue(admin.listPromotions(ListPromotionsRequest.newBuilder()
                .setCohort(TrainingCohort.TRAINING_COHORT_DGE).build()).getPromotionsList().stream()
                .noneMatch(p -> p.getModelId().equals(m.getModelId())));

        var doc = as("doc", List.of("BR-SP-01"), "clinician");
        ScoreResponse high = doc.score(admissions().setPatientId("a-high").build());
        ScoreResponse low = doc.score(admissions().setPatientId("a-low").build());
        assertTrue(high.getProbability() > 0.8, "age 86, CRP 190: " + high.getProbability());
        assertTrue(low.getProbability() < 0.05, "age 30, CRP 4: " + low.getProbability());
        assertEquals(TrainingCohort.TRAINING_COHORT_ADMISSIONS, high.getCohort());
        assertEquals(0, high.getStage());
        assertEquals(m.getModelId(), high.getModelId());
        assertEquals(m.getVersion(), high.getModelVersion());
        assertEquals("BR-SP-01", high.getHospital());
        assertEquals(List.of(), high.getImputedList());
        assertFalse(high.getImageUsed());
        assertTrue(high.getConfidenceBinHitRate() >= 0 && high.getConfidenceBinHitRate() <= 1);

        // ad hoc, CRP not measured: imputed by the model's MICE imputer (fake: the training mean, about 100)
        ScoreResponse adHoc = doc.score(admissions().setAdmission(AdmissionRecord.newBuilder().setAge(80)
                .setHospital("BR-RJ-02")).build());
        assertEquals(List.of("crp"), adHoc.getImputedList());
        assertEquals("BR-SP-01", adHoc.getHospital(), "an ad-hoc admission belongs to the caller's hospital");
        assertEquals("ad-hoc", adHoc.getPatientId());
        assertTrue(adHoc.getProbability() > low.getProbability() && adHoc.getProbability() < high.getProbability(),
                adHoc.getProbability() + " between " + low.getProbability() + " and " + high.getProbability());
        ScoreResponse adHocHighCrp = doc.score(admissions().setAdmission(AdmissionRecord.newBuilder().setAge(80)
                .addLabs(Measurement.newBuilder().setCode("crp").setValue(190).setUnit("mg/L"))).build());
        assertTrue(adHocHighCrp.getProbability() > adHoc.getProbability(), "CRP raises the risk");
        assertEquals(List.of(), adHocHighCrp.getImputedList());

        // another hospital's stored admission is not found
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> as("doc2", List.of("BR-RJ-02"),
                "clinician").score(admissions().setPatientId("a-high").build()));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        // no age: refused rather than scored on imputation alone
        e = assertThrows(StatusRuntimeException.class, () -> doc.score(admissions().setAdmission(AdmissionRecord
                .newBuilder().addLabs(Measurement.newBuilder().setCode("crp").setValue(50))).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals("admission.age", GrpcProblems.violationsOf(e).get(0).field());
    }

    @Test
    void cohortsAndSubjectsThatDoNotMatchAreRefusedNamingTheField() {
        var admin = as("admin", List.of(), "model-admin");
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> admin.train(TrainRequest
                .newBuilder().setCohort(TrainingCohort.TRAINING_COHORT_ADMISSIONS).setStage(2).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals("stage", GrpcProblems.violationsOf(e).get(0).field());

        var doc = as("doc", List.of("BR-SP-01"), "clinician");
        e = assertThrows(StatusRuntimeException.class, () -> doc.score(ScoreRequest.newBuilder().setAdmission(
                AdmissionRecord.newBuilder().setAge(70)).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), "an admission with the DGE cohort");
        assertEquals("cohort", GrpcProblems.violationsOf(e).get(0).field());
        e = assertThrows(StatusRuntimeException.class, () -> doc.score(admissions().setPatient(PatientRecord
                .newBuilder().setAge(70)).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals("patient", GrpcProblems.violationsOf(e).get(0).field());
    }
}
