package org.covidrisk.imaging.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.util.List;

import javax.imageio.ImageIO;

import org.covidrisk.imaging.model.XrayModel;
import org.covidrisk.imaging.v1.GetModelRequest;
import org.covidrisk.imaging.v1.ImagingServiceGrpc;
import org.covidrisk.imaging.v1.ModelInfo;
import org.covidrisk.imaging.v1.ScoreImageRequest;
import org.covidrisk.imaging.v1.ScoreImageResponse;
import org.covidrisk.platform.grpc.BearerToken;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.testing.TestChannel;
import org.covidrisk.platform.testing.TestTokens;
import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import ai.djl.inference.Predictor;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(TestTokens.class)
@QuarkusTestResource(TinyModelResource.class)
class ImagingGrpcServiceTest {

    @TestHTTPResource
    URL url;

    static BufferedImage xray() {
        BufferedImage img = new BufferedImage(120, 100, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 100; y++) {
            for (int x = 0; x < 120; x++) {
                img.getRaster().setSample(x, y, 0, (x * 3 + y * 5) % 256);
            }
        }
        return img;
    }

    static byte[] png(BufferedImage img) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    @Test
    void scoresTheSentXrayWithTheDeployedModel() throws Exception {
        byte[] bytes = png(xray());
        float expected;
        try (XrayModel m = XrayModel.load(TinyModelResource.modelDir);
                Predictor<BufferedImage, Float> p = m.newPredictor()) {
            expected = p.predict(ImageIO.read(new java.io.ByteArrayInputStream(bytes)));
        }
        try (TestChannel test = new TestChannel(url)) {
            var stub = clinician(test.channel());
            ScoreImageResponse r = stub.scoreImage(ScoreImageRequest.newBuilder().setPatientId("p1")
                    .setHospital("MX-09-04").setImage(ByteString.copyFrom(bytes))
                    .setImageSha256(ImagingGrpcService.sha256(bytes)).build());
            assertTrue(r.getHasImage());
            assertEquals(expected, r.getProbability(), 1e-5); // served folded: same up to rounding
            assertEquals(ImagingGrpcService.sha256(bytes), r.getImageSha256());
            assertTrue(r.getModelVersion().startsWith("resnet-basic[1,1,1,1]-w4-grey32-2class@"));

        }
    }

    static float expected(byte[] bytes) throws Exception {
        try (XrayModel m = XrayModel.load(TinyModelResource.modelDir);
                Predictor<BufferedImage, Float> p = m.newPredictor()) {
            return p.predict(ImageIO.read(new java.io.ByteArrayInputStream(bytes)));
        }
    }

    static BufferedImage xray(int seed) {
        BufferedImage img = xray();
        for (int y = 0; y < 100; y++) {
            for (int x = 0; x < 120; x++) {
                img.getRaster().setSample(x, y, 0, (x * seed + y * 7 + (x ^ y) * seed) % 256);
            }
        }
        return img;
    }

    @Test
    void scoresTheStoredXrayFetchedFromIngestWithTheCallersToken() throws Exception {
        byte[] older = png(xray(3));
        byte[] latest = png(xray(5));
        FakeIngest.put("p-stored", "MX-09-04", older);
        FakeIngest.put("p-stored", "MX-09-04", latest);
        try (TestChannel test = new TestChannel(url)) {
            var stub = clinician(test.channel());
            FakeIngest.CALLERS.clear();
            ScoreImageResponse r = stub.scoreImage(ScoreImageRequest.newBuilder().setPatientId("p-stored")
                    .setHospital("MX-09-04").build());
            assertTrue(r.getHasImage());
            assertEquals(ImagingGrpcService.sha256(latest), r.getImageSha256(), "the patient's latest");
            assertEquals(expected(latest), r.getProbability(), 1e-5);
            assertEquals(List.of("doc"), FakeIngest.CALLERS, "ingest saw the caller, not a service account");

            ScoreImageResponse byHash = stub.scoreImage(ScoreImageRequest.newBuilder().setPatientId("p-stored")
                    .setImageSha256(ImagingGrpcService.sha256(older).toUpperCase()).build());
            assertTrue(byHash.getHasImage());
            assertEquals(ImagingGrpcService.sha256(older), byHash.getImageSha256());
            assertEquals(expected(older), byHash.getProbability(), 1e-5);
            assertTrue(Math.abs(byHash.getProbability() - r.getProbability()) > 0, "two images, two scores");
        }
    }

    @Test
    void aPatientWithoutAStoredXrayIsAnsweredWithoutAnImage() throws Exception {
        FakeIngest.put("p-other-hospital", "MX-15-12", png(xray(9)));
        try (TestChannel test = new TestChannel(url)) {
            var stub = clinician(test.channel());
            for (String patient : List.of("p-none", "p-other-hospital")) {
                ScoreImageResponse none = stub.scoreImage(ScoreImageRequest.newBuilder().setPatientId(patient)
                        .setHospital("MX-09-04").build());
                assertFalse(none.getHasImage(), patient);
                assertEquals(ImagingGrpcService.NO_IMAGE, none.getReason());
            }
            ScoreImageResponse unknownHash = stub.scoreImage(ScoreImageRequest.newBuilder().setPatientId("p-none")
                    .setImageSha256("ab".repeat(32)).build());
            assertFalse(unknownHash.getHasImage());
            assertEquals(ImagingGrpcService.NO_SUCH_IMAGE, unknownHash.getReason());
            // the stored image is of another hospital than the one asked for
            FakeIngest.put("p-moved", "MX-09-04", png(xray(11)));
            ScoreImageResponse moved = BearerToken.attach(ImagingServiceGrpc.newBlockingStub(test.channel()),
                    TestTokens.token("doc2", List.of("MX-09-04", "MX-15-12"), "clinician"))
                    .scoreImage(ScoreImageRequest.newBuilder().setPatientId("p-moved").setHospital("MX-15-12")
                            .build());
            assertFalse(moved.getHasImage());

            StatusRuntimeException down = assertThrows(StatusRuntimeException.class, () -> stub.scoreImage(
                    ScoreImageRequest.newBuilder().setPatientId(FakeIngest.STORE_DOWN).build()));
            assertEquals(Status.Code.UNAVAILABLE, down.getStatus().getCode());
            assertEquals("the image store is unavailable; retry later", down.getStatus().getDescription());
        }
    }

    @Test
    void badImagesAreInvalidArgumentsNamingTheProblem() throws Exception {
        try (TestChannel test = new TestChannel(url)) {
            var stub = clinician(test.channel());
            assertBad(stub, "just text".getBytes(), "", "not an image: the bytes are not PNG, JPEG, BMP, GIF or TIFF");
            assertBad(stub, new byte[100_001], "", "image is 100001 bytes; at most 100000 are accepted");
            BufferedImage binary = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_BINARY);
            assertBad(stub, png(binary), "",
                    "unsupported bit depth: PNG with 1 bits per channel; 8 or 16 are accepted");
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.scoreImage(
                    ScoreImageRequest.newBuilder().setImage(ByteString.copyFrom(png(xray()))).setImageSha256("ab")
                            .build()));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
            assertEquals(List.of(new GrpcProblems.Violation("image_sha256", "must be 64 hexadecimal characters")),
                    GrpcProblems.violationsOf(e));
            e = assertThrows(StatusRuntimeException.class, () -> stub.scoreImage(ScoreImageRequest.newBuilder()
                    .setImage(ByteString.copyFrom(png(xray()))).setImageSha256("ab".repeat(32)).build()));
            assertEquals(List.of(new GrpcProblems.Violation("image_sha256", "is not the SHA-256 of the image "
                    + "bytes")), GrpcProblems.violationsOf(e));
            // a stored image the service refuses: named the same way as a sent one
            FakeIngest.put("p-binary", "MX-09-04", png(new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_BINARY)));
            e = assertThrows(StatusRuntimeException.class, () -> stub.scoreImage(ScoreImageRequest.newBuilder()
                    .setPatientId("p-binary").build()));
            assertEquals(List.of(new GrpcProblems.Violation("image",
                    "unsupported bit depth: PNG with 1 bits per channel; 8 or 16 are accepted")),
                    GrpcProblems.violationsOf(e));
        }
    }

    @Test
    void tellsWhichModelIsDeployedAndWhereItComesFrom() throws Exception {
        try (XrayModel m = XrayModel.load(TinyModelResource.modelDir); TestChannel test = new TestChannel(url)) {
            var p = m.provenance();
            var analyst = BearerToken.attach(ImagingServiceGrpc.newBlockingStub(test.channel()),
                    TestTokens.token("ana", List.of("MX-09-04"), "analyst"));
            ModelInfo info = analyst.getModel(GetModelRequest.getDefaultInstance());
            assertTrue(info.getDeployed());
            String version = clinician(test.channel()).scoreImage(ScoreImageRequest.newBuilder().setPatientId("p1")
                    .setImage(ByteString.copyFrom(png(xray()))).build()).getModelVersion();
            assertEquals(version, info.getModelVersion(), "the version scores are answered with");
            assertEquals("survival", info.getTask());
            assertEquals(p.architecture(), info.getArchitecture());
            assertEquals(32, info.getInputSize());
            assertEquals(0, info.getPretrainingEpochs(), "the tiny model is trained from scratch");
            assertEquals(1, info.getTrainingEpochs());
            assertEquals(p.dataSha256(), info.getDataSha256());
            assertEquals(p.trainImages(), info.getTrainImages());
            assertEquals(p.trainPatients(), info.getTrainPatients());
            assertEquals(p.createdAt(), info.getCreatedAt());
            assertEquals("PyTorch 2.7.1", info.getVersionsMap().get("engine"));
            assertEquals(32, info.getQueueCapacity());
            assertEquals(2, info.getWorkers()); // the test profile's
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> BearerToken.attach(ImagingServiceGrpc.newBlockingStub(test.channel()),
                            TestTokens.token("st", List.of("MX-09-04"), "data-steward"))
                            .getModel(GetModelRequest.getDefaultInstance()));
            assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
        }
    }

    @Test
    void checksTheToken() throws Exception {
        try (TestChannel test = new TestChannel(url)) {
            ManagedChannel channel = test.channel();
            var request = ScoreImageRequest.newBuilder().setPatientId("p1").setHospital("MX-09-04").build();
            var analyst = BearerToken.attach(ImagingServiceGrpc.newBlockingStub(channel),
                    TestTokens.token("ana", List.of("MX-09-04"), "analyst"));
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> analyst.scoreImage(request));
            assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
            e = assertThrows(StatusRuntimeException.class,
                    () -> ImagingServiceGrpc.newBlockingStub(channel).scoreImage(request));
            assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
        }
    }

    private static ImagingServiceGrpc.ImagingServiceBlockingStub clinician(ManagedChannel channel) {
        return BearerToken.attach(ImagingServiceGrpc.newBlockingStub(channel),
                TestTokens.token("doc", List.of("MX-09-04"), "clinician"));
    }

    private static void assertBad(ImagingServiceGrpc.ImagingServiceBlockingStub stub, byte[] bytes, String sha,
            String reason) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.scoreImage(
                ScoreImageRequest.newBuilder().setImage(ByteString.copyFrom(bytes)).setImageSha256(sha).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals(List.of(new GrpcProblems.Violation("image", reason)), GrpcProblems.violationsOf(e));
    }
}
