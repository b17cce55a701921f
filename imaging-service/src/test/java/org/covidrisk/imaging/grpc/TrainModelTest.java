package org.covidrisk.imaging.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.covidrisk.imaging.v1.GetModelRequest;
import org.covidrisk.imaging.v1.ImagingServiceGrpc;
import org.covidrisk.imaging.v1.ScoreImageRequest;
import org.covidrisk.imaging.v1.TrainModelRequest;
import org.covidrisk.imaging.v1.TrainModelResponse;
import org.covidrisk.platform.grpc.BearerToken;
import org.covidrisk.platform.testing.TestChannel;
import org.covidrisk.platform.testing.TestTokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A model admin trains the CNN on the stored X-rays of its hospital's patients (fake ingest: cohort, outcomes and
 * images), sees it measured against the deployed model on the same hold-out, and deploys it without a restart.
 * Its own application (profile), so the model it deploys does not meet the other tests.
 */
@QuarkusTest
@TestProfile(TrainModelTest.SmallCohorts.class)
@QuarkusTestResource(TestTokens.class)
@QuarkusTestResource(TinyModelResource.class)
class TrainModelTest {

    /** Where the test application saves trained models (relative: the module's directory). */
    static final Path STORE = Path.of("target/train-model-store");

    /** Trains on as few as eight patients; models saved under a temporary store. */
    public static class SmallCohorts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // an empty store: no model deployed by an earlier run, so the start loads TinyModelResource's
            try (var files = Files.exists(STORE) ? Files.walk(STORE) : java.util.stream.Stream.<Path>empty()) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            return Map.of("imaging.min-train-patients", "8", "imaging.model-store", "target/train-model-store");
        }
    }

    @TestHTTPResource
    URL url;

    @BeforeAll
    static void storeXrays() throws Exception {
        // 12 patients of MX-09-04 (4 deaths), one death of MX-15-12: a model admin trains on every hospital's
        for (int i = 0; i < 12; i++) {
            String patient = "tr-" + i;
            FakeIngest.put(patient, "MX-09-04", ImagingGrpcServiceTest.png(ImagingGrpcServiceTest.xray(11 + i)));
            FakeIngest.OUTCOMES.put(patient, i % 3 == 0);
        }
        FakeIngest.put("tr-other", "MX-15-12", ImagingGrpcServiceTest.png(ImagingGrpcServiceTest.xray(40)));
        FakeIngest.OUTCOMES.put("tr-other", true);
    }

    static ImagingServiceGrpc.ImagingServiceBlockingStub as(TestChannel test, String role, String hospital) {
        return BearerToken.attach(ImagingServiceGrpc.newBlockingStub(test.channel()),
                TestTokens.token(role + "-" + hospital, List.of(hospital), role));
    }

    @Test
    void anAdminTrainsOnItsHospitalsXraysComparesAndDeploys() throws Exception {
        try (TestChannel test = new TestChannel(url)) {
            var admin = as(test, "model-admin", "MX-09-04");
            String before = admin.getModel(GetModelRequest.getDefaultInstance()).getModelVersion();

            TrainModelResponse kept = admin.trainModel(TrainModelRequest.newBuilder().setEpochs(1).setSeed(3).build());
            assertEquals(13, kept.getTrainPatients() + kept.getHoldoutPatients(), "both hospitals' patients");
            assertEquals(5, kept.getTrainDeaths() + kept.getHoldoutDeaths());
            assertEquals(3, kept.getHoldoutPatients(), "a quarter of each outcome: 1 of 5 deaths, 2 of 8 survivors");
            assertEquals(1, kept.getHoldoutDeaths());
            assertTrue(kept.getHoldoutAuroc() >= 0 && kept.getHoldoutAuroc() <= 1, "" + kept.getHoldoutAuroc());
            assertTrue(kept.hasHoldoutAurocBefore(), "the deployed model measured on the same hold-out");
            assertEquals(before, kept.getBasedOn());
            assertFalse(kept.getModel().getDeployed());
            assertEquals(1, kept.getModel().getTrainingEpochs());
            assertEquals(10, kept.getModel().getTrainPatients());
            assertTrue(Files.isRegularFile(Path.of(kept.getSavedTo()).resolve("provenance.json")));
            assertTrue(Path.of(kept.getSavedTo()).startsWith(STORE));
            assertEquals(before, admin.getModel(GetModelRequest.getDefaultInstance()).getModelVersion(),
                    "not deployed: the old model still serves");

            TrainModelResponse deployed = admin.trainModel(TrainModelRequest.newBuilder().setEpochs(1).setSeed(4)
                    .setDeploy(true).build());
            assertTrue(deployed.getModel().getDeployed());
            String now = admin.getModel(GetModelRequest.getDefaultInstance()).getModelVersion();
            assertEquals(deployed.getModel().getModelVersion(), now);
            assertNotEquals(before, now);
            String scoredWith = as(test, "clinician", "MX-09-04").scoreImage(ScoreImageRequest.newBuilder()
                    .setPatientId("tr-1").setImage(ByteString.copyFrom(ImagingGrpcServiceTest.png(
                            ImagingGrpcServiceTest.xray(12))))
                    .build()).getModelVersion();
            assertEquals(now, scoredWith, "scores come from the new model, no restart");
            // and after a restart: the store names the deployed model
            assertEquals(Path.of(deployed.getSavedTo()).toAbsolutePath().toString(),
                    Files.readString(STORE.resolve("DEPLOYED")));
        }
    }

    @Test
    void refusalsNameTheProblem() throws Exception {
        try (TestChannel test = new TestChannel(url)) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> as(test, "clinician",
                    "MX-09-04").trainModel(TrainModelRequest.getDefaultInstance()));
            assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
            e = assertThrows(StatusRuntimeException.class, () -> as(test, "model-admin", "MX-09-04")
                    .trainModel(TrainModelRequest.newBuilder().setEpochs(51).build()));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
            assertEquals("epochs must be between 1 and 50", e.getStatus().getDescription());
            // no hospitalised patient has a stored X-ray in the fake
            e = assertThrows(StatusRuntimeException.class, () -> as(test, "model-admin", "MX-09-04")
                    .trainModel(TrainModelRequest.newBuilder().setEpochs(1).setHospitalisedOnly(true).build()));
            assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
            assertTrue(e.getStatus().getDescription().startsWith("too few patients to train on: 0 with a stored "
                    + "X-ray and an outcome (0 deaths, 0 survivors)"), e.getStatus().getDescription());
        }
    }
}
