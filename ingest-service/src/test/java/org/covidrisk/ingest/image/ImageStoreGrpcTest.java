package org.covidrisk.ingest.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

import jakarta.inject.Inject;

import org.covidrisk.ingest.config.IngestConfig;
import org.covidrisk.ingest.v1.CohortRequest;
import org.covidrisk.ingest.v1.GetImageRequest;
import org.covidrisk.ingest.v1.ImageChunk;
import org.covidrisk.ingest.v1.ImageInfo;
import org.covidrisk.ingest.v1.ImageUploadHeader;
import org.covidrisk.ingest.v1.IngestServiceGrpc;
import org.covidrisk.platform.grpc.BearerToken;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.testing.TestChannel;
import org.covidrisk.platform.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(TestTokens.class)
@QuarkusTestResource(ImageDirResource.class)
class ImageStoreGrpcTest {

    static final String H_A = "MX-09-04";
    static final String H_B = "MX-15-12";

    @TestHTTPResource
    URL url;

    @Inject
    IngestConfig config;

    TestChannel test;

    @Inject
    AgroalDataSource db;

    @BeforeEach
    void open() {
        test = new TestChannel(url);
        TestImages.patients(db, H_A, "px-1", "px-2", "px-10", "px-30", "px-40", "px-50");
    }

    @AfterEach
    void close() throws InterruptedException {
        test.close();
    }

    IngestServiceGrpc.IngestServiceStub steward(String... hospitals) {
        return BearerToken.attach(IngestServiceGrpc.newStub(test.channel()),
                TestTokens.token("steward", List.of(hospitals), "data-steward"));
    }

    IngestServiceGrpc.IngestServiceBlockingStub reader(String role, String... hospitals) {
        return BearerToken.attach(IngestServiceGrpc.newBlockingStub(test.channel()),
                TestTokens.token("reader", List.of(hospitals), role));
    }

    /** The info and the bytes of a GetImage answer. */
    record Got(ImageInfo info, byte[] bytes, int chunks) {
    }

    static Got get(IngestServiceGrpc.IngestServiceBlockingStub stub, String sha, String patient) {
        Iterator<ImageChunk> it = stub.getImage(GetImageRequest.newBuilder().setSha256(sha).setPatientId(patient)
                .build());
        ImageInfo info = it.next().getInfo();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int chunks = 0;
        while (it.hasNext()) {
            out.writeBytes(it.next().getData().toByteArray());
            chunks++;
        }
        return new Got(info, out.toByteArray(), chunks);
    }

    @Test
    void cohortWithImageOnlyStreamsThePatientsWithAStoredXray() {
        // three stored patients of H_A; only wx-1 gets an image
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> {
            for (String key : List.of("wx-1", "wx-2", "wx-3")) {
                org.covidrisk.ingest.Patient p = new org.covidrisk.ingest.Patient();
                p.patientKey = key;
                p.hospital = H_A;
                p.source = "DGE_2022";
                p.batchId = "batch-wx";
                p.died = key.equals("wx-1");
                p.updatedAt = java.time.Instant.now();
                p.persist();
            }
        });
        TestImages.upload(steward(H_A), TestImages.header("wx-1", H_A), TestImages.png(TestImages.grey(72, 72, 141)),
                4096);
        // an admission-record patient of another hospital with wx-3's id, and its image: not H_A's wx-3's
        try (var c = db.getConnection(); var st = c.createStatement()) {
            st.executeUpdate("INSERT INTO admission (source, hospital, patient_id, batch_id, admission_time, outcome,"
                    + " updated_at) VALUES ('ADMISSION_CSV', '" + H_B + "', 'wx-3', 'batch-wx', CURRENT_TIMESTAMP, 0,"
                    + " CURRENT_TIMESTAMP)");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        TestImages.upload(steward(H_B), TestImages.header("wx-3", H_B), TestImages.png(TestImages.grey(72, 72, 143)),
                4096);
        var admin = reader("model-admin");
        List<String> withImage = new java.util.ArrayList<>();
        admin.streamCohort(CohortRequest.newBuilder().setWithImageOnly(true).addHospitals(H_A).build())
                .forEachRemaining(r -> withImage.add(r.getPatientId()));
        // other tests' imaged patients (px-…) may be there too; of these three only wx-1 has an image in H_A
        assertTrue(withImage.contains("wx-1"), withImage.toString());
        assertFalse(withImage.contains("wx-2") || withImage.contains("wx-3"), withImage.toString());
        List<String> all = new java.util.ArrayList<>();
        admin.streamCohort(CohortRequest.newBuilder().addHospitals(H_A).build())
                .forEachRemaining(r -> all.add(r.getPatientId()));
        assertTrue(all.containsAll(List.of("wx-1", "wx-2", "wx-3")), all.toString());
    }

    @Test
    void storesByContentHashIdempotently() throws Exception {
        byte[] png = TestImages.png(TestImages.grey(300, 280, 11));
        String sha = TestImages.sha256(png);
        ImageUploadHeader header = TestImages.header("px-1", H_A).toBuilder().setStudyTime("2020-04-30T14:05")
                .setFileName("C:\\exports\\chest.png").build();
        ImageInfo first = TestImages.upload(steward(H_A), header, png, 1000);
        assertEquals(sha, first.getSha256());
        assertEquals("px-1", first.getPatientId());
        assertEquals(H_A, first.getHospital());
        assertEquals("image/png", first.getMediaType());
        assertEquals(png.length, first.getSizeBytes());
        assertEquals(300, first.getWidth());
        assertEquals(280, first.getHeight());
        assertEquals("PA", first.getView());
        assertEquals("2020-04-30T14:05", first.getStudyTime());
        assertFalse(first.getReplayed());
        Path file = config.images().dir().resolve(sha);
        assertArrayEquals(png, Files.readAllBytes(file), "the file is named by the hash of its bytes");

        ImageInfo again = TestImages.upload(steward(H_A), header.toBuilder().setView("AP").build(), png, 64);
        assertTrue(again.getReplayed());
        assertEquals(first.toBuilder().setReplayed(true).build(), again, "the stored image, not the new header");
        try (var files = Files.list(config.images().dir())) {
            assertEquals(1, files.filter(p -> p.getFileName().toString().equals(sha)).count());
        }

        StatusRuntimeException other = assertThrows(StatusRuntimeException.class,
                () -> TestImages.upload(steward(H_A), TestImages.header("px-2", H_A), png, 1000));
        assertEquals(Status.Code.ALREADY_EXISTS, other.getStatus().getCode());
        assertEquals(List.of(new GrpcProblems.Violation("image", "these bytes are already stored for another "
                + "patient")), GrpcProblems.violationsOf(other));
        assertEquals(List.of(), TestImages.tmpFiles(config.images().dir()));
    }

    @Test
    void readsByHashOrLatestWithinTheCallersHospitals() {
        byte[] older = TestImages.jpeg(TestImages.grey(200, 200, 21));
        byte[] newer = TestImages.png(TestImages.grey(200, 200, 22));
        byte[] undated = TestImages.png(TestImages.grey(200, 200, 23));
        var steward = steward(H_A);
        TestImages.upload(steward, TestImages.header("px-10", H_A).toBuilder().setStudyTime("2020-04-01").build(),
                older, 4096);
        ImageInfo latest = TestImages.upload(steward, TestImages.header("px-10", H_A).toBuilder()
                .setStudyTime("2020-04-02T08:00:00Z").build(), newer, 4096);
        TestImages.upload(steward, TestImages.header("px-10", H_A), undated, 4096);

        var doc = reader("clinician", H_A);
        Got got = get(doc, "", "px-10");
        assertEquals(latest, got.info(), "the latest study, not the last upload (which has no study time)");
        assertArrayEquals(newer, got.bytes());
        Got byHash = get(doc, TestImages.sha256(older).toUpperCase(), "");
        assertArrayEquals(older, byHash.bytes());
        assertEquals("image/jpeg", byHash.info().getMediaType());

        // another hospital's clinician: the same answer as for an unknown image
        var stranger = reader("clinician", H_B);
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> get(stranger, "", "px-10"));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        e = assertThrows(StatusRuntimeException.class, () -> get(stranger, TestImages.sha256(older), ""));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertEquals("sha256", GrpcProblems.violationsOf(e).get(0).field());
        // the hash of a patient's image asked with another patient id
        e = assertThrows(StatusRuntimeException.class, () -> get(doc, TestImages.sha256(older), "px-11"));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        // model administrators read every hospital's images (training), analysts none
        assertArrayEquals(newer, get(reader("model-admin"), "", "px-10").bytes());
        e = assertThrows(StatusRuntimeException.class, () -> get(reader("analyst", H_A), "", "px-10"));
        assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
        e = assertThrows(StatusRuntimeException.class, () -> get(doc, "abc", ""));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals(List.of(new GrpcProblems.Violation("sha256", "must be 64 hexadecimal characters")),
                GrpcProblems.violationsOf(e));
    }

    @Test
    void largeImagesStreamBackInChunks() {
        java.util.Random r = new java.util.Random(5);
        var img = TestImages.grey(500, 400, 31);
        for (int y = 0; y < 400; y++) {
            for (int x = 0; x < 500; x++) {
                img.getRaster().setSample(x, y, 0, r.nextInt(256)); // noise: does not compress
            }
        }
        byte[] png = TestImages.png(img);
        assertTrue(png.length > config.images().chunkBytes());
        TestImages.upload(steward(H_A), TestImages.header("px-30", H_A), png, 65536);
        Got got = get(reader("clinician", H_A), TestImages.sha256(png), "px-30");
        assertArrayEquals(png, got.bytes());
        assertEquals((png.length + config.images().chunkBytes() - 1) / config.images().chunkBytes(), got.chunks());
    }

    @Test
    void headersAreCheckedBeforeTheBytes() {
        byte[] png = TestImages.png(TestImages.grey(64, 64, 41));
        assertRefused(Status.Code.PERMISSION_DENIED, "hospital", "is not a hospital of your account",
                TestImages.header("px-40", H_B), png);
        assertRefused(Status.Code.INVALID_ARGUMENT, "patient_id", "must be 1-64 characters of A-Z a-z 0-9 . _ : -",
                TestImages.header("px 40; drop", H_A), png);
        assertRefused(Status.Code.INVALID_ARGUMENT, "study_time",
                "is not an ISO-8601 date (2020-04-30) or date-time (2020-04-30T14:05)",
                TestImages.header("px-40", H_A).toBuilder().setStudyTime("30/04/2020").build(), png);
        assertRefused(Status.Code.INVALID_ARGUMENT, "study_time", "is before 1900 or in the future",
                TestImages.header("px-40", H_A).toBuilder().setStudyTime("2999-01-01").build(), png);
        assertRefused(Status.Code.INVALID_ARGUMENT, "view",
                "must be at most 32 characters of letters, digits, spaces and . _ ( ) -, e.g. PA, AP Supine, L",
                TestImages.header("px-40", H_A).toBuilder().setView("<script>").build(), png);
        assertRefused(Status.Code.INVALID_ARGUMENT, "header", "the first message must be the header", null, png);
        // a patient the hospital does not hold (here: another hospital's), named so the steward can fix the order
        TestImages.patients(db, H_B, "px-b");
        assertRefused(Status.Code.NOT_FOUND, "patient_id", "no patient with this id in hospital " + H_A
                + "; upload the patient's record (DGE or admission) before the X-ray", TestImages.header("px-b", H_A),
                png);
        assertRefused(Status.Code.NOT_FOUND, "patient_id", "no patient with this id in hospital " + H_A
                + "; upload the patient's record (DGE or admission) before the X-ray", TestImages.header("px-49", H_A),
                png);
        // an empty hospital means the steward's home hospital
        ImageInfo home = TestImages.upload(steward(H_A), TestImages.header("px-40", ""), png, 1000);
        assertEquals(H_A, home.getHospital());
        var e = assertThrows(StatusRuntimeException.class, () -> TestImages.upload(BearerToken.attach(
                IngestServiceGrpc.newStub(test.channel()), TestTokens.token("doc", List.of(H_A), "clinician")),
                TestImages.header("px-41", H_A), png, 1000));
        assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
        assertEquals(List.of(), TestImages.tmpFiles(config.images().dir()));
    }

    @Test
    void anUploadOverTheByteLimitIsRefusedWhileStreaming() {
        byte[] big = new byte[(int) config.images().maxBytes() + 10_000];
        big[0] = (byte) 0x89;
        assertRefused(Status.Code.INVALID_ARGUMENT, "image",
                "image is more than 300000 bytes; at most 300000 are accepted", TestImages.header("px-50", H_A), big);
        assertEquals(List.of(), TestImages.tmpFiles(config.images().dir()));
    }

    private void assertRefused(Status.Code code, String field, String reason, ImageUploadHeader header,
            byte[] bytes) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> TestImages.upload(steward(H_A), header, bytes, 8192));
        assertEquals(code, e.getStatus().getCode());
        assertEquals(List.of(new GrpcProblems.Violation(field, reason)), GrpcProblems.violationsOf(e));
    }
}
