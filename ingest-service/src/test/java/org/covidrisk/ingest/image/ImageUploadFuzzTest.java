package org.covidrisk.ingest.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.covidrisk.ingest.config.IngestConfig;
import org.covidrisk.ingest.v1.ImageInfo;
import org.covidrisk.ingest.v1.IngestServiceGrpc;
import org.covidrisk.platform.grpc.BearerToken;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.testing.TestChannel;
import org.covidrisk.platform.testing.TestTokens;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Seeded fuzzing of {@code UploadImage}: thousands of malformed images (random and text bytes, truncations, pixel
 * bombs, tiny and low-bit-depth images, other formats, damaged headers and data, oversize files) between valid
 * ones. No upload may fail with a server error; every refusal is {@code INVALID_ARGUMENT} naming {@code image}
 * with a known reason; the kinds that must be refused are, with the expected reason; exactly the accepted images
 * are stored, and no temporary file is left.
 */
@QuarkusTest
@QuarkusTestResource(TestTokens.class)
@QuarkusTestResource(ImageDirResource.class)
class ImageUploadFuzzTest {

    static final long SEED = 20200601L;
    static final int MALFORMED = 3200;

    /** Every reason the store may give for bad bytes. */
    static final Pattern ANY_REASON = Pattern.compile("image is empty|not an image: the bytes start with neither the "
            + "PNG nor the JPEG signature|not a PNG or JPEG image: the bytes are .+|image is more than \\d+ bytes; "
            + "at most \\d+ are accepted|(PNG|JPEG) is \\d+x\\d+ = \\d+ pixels; at most \\d+ are accepted|(PNG|JPEG)"
            + " is \\d+x\\d+ pixels; at least 32 a side are needed|unsupported bit depth: (PNG|JPEG) with \\d+ bits "
            + "per sample; 8 or 16 are accepted|(PNG|JPEG) data is corrupt or truncated|PNG data is truncated: no "
            + "IEND chunk at the end");

    /** One generated upload: its kind, its bytes, and the reason it must be refused with (null: may pass). */
    record Case(String kind, byte[] bytes, Pattern mustRefuse) {
    }

    @TestHTTPResource
    URL url;

    @Inject
    IngestConfig config;

    @Inject
    AgroalDataSource db;

    @Test
    void malformedImagesAreRefusedByNameAndNothingIsHalfStored() throws Exception {
        Random r = new Random(SEED);
        List<Case> cases = new ArrayList<>();
        List<byte[]> pngs = new ArrayList<>();
        List<byte[]> jpegs = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            BufferedImage img = TestImages.grey(40 + r.nextInt(90), 40 + r.nextInt(90), 1000 + i);
            pngs.add(TestImages.png(img));
            jpegs.add(TestImages.jpeg(img));
        }
        while (cases.size() < MALFORMED) {
            cases.add(malformed(r, pngs, jpegs));
        }
        List<String> patients = new ArrayList<>(List.of("fz-m"));
        for (int i = 0; i < cases.size(); i += 10) {
            patients.add("fz-" + i);
        }
        TestImages.patients(db, "MX-09-04", patients.toArray(String[]::new));
        long rowsBefore = rows();
        long filesBefore = storedFiles();
        Map<String, Integer> seen = new TreeMap<>();
        Set<String> stored = new HashSet<>();
        int valid = 0;
        try (TestChannel test = new TestChannel(url)) {
            var steward = BearerToken.attach(IngestServiceGrpc.newStub(test.channel()),
                    TestTokens.token("steward", List.of("MX-09-04"), "data-steward"));
            for (int i = 0; i < cases.size(); i++) {
                if (i % 10 == 0) { // a valid image between the broken ones must still be stored
                    byte[] ok = (i % 20 == 0
                            ? TestImages.png(TestImages.grey(64, 48, i))
                            : TestImages.jpeg(TestImages.grey(48, 64, i)));
                    ImageInfo info = TestImages.upload(steward, TestImages.header("fz-" + i, "MX-09-04"), ok,
                            1 + r.nextInt(4096));
                    assertEquals(TestImages.sha256(ok), info.getSha256());
                    stored.add(info.getSha256());
                    valid++;
                }
                Case c = cases.get(i);
                // one patient for every malformed upload: two damaged copies that happen to be equal are a replay
                String outcome;
                try {
                    ImageInfo info = TestImages.upload(steward, TestImages.header("fz-m", "MX-09-04"), c.bytes(),
                            1 + r.nextInt(8192));
                    if (c.mustRefuse() != null) {
                        fail(c.kind() + " #" + i + " was stored");
                    }
                    stored.add(info.getSha256());
                    outcome = "OK";
                } catch (StatusRuntimeException e) {
                    outcome = e.getStatus().getCode().name();
                    if (e.getStatus().getCode() != Status.Code.INVALID_ARGUMENT) {
                        fail(c.kind() + " #" + i + " answered " + e.getStatus());
                    }
                    List<GrpcProblems.Violation> v = GrpcProblems.violationsOf(e);
                    assertEquals(1, v.size(), c.kind());
                    assertEquals("image", v.get(0).field(), c.kind());
                    String reason = v.get(0).reason();
                    assertTrue(ANY_REASON.matcher(reason).matches(), c.kind() + ": unknown reason " + reason);
                    if (c.mustRefuse() != null) {
                        assertTrue(c.mustRefuse().matcher(reason).matches(),
                                c.kind() + " #" + i + ": " + reason + " is not " + c.mustRefuse());
                    }
                }
                seen.merge(c.kind() + " " + outcome, 1, Integer::sum);
            }
        }
        System.out.println("image fuzz (seed " + SEED + "): " + cases.size() + " malformed, " + valid + " valid; "
                + seen);
        assertEquals(rowsBefore + stored.size(), rows());
        assertEquals(filesBefore + stored.size(), storedFiles());
        assertEquals(List.of(), TestImages.tmpFiles(config.images().dir()));
    }

    private static long rows() {
        return QuarkusTransaction.requiringNew().call(() -> XrayImage.count());
    }

    private long storedFiles() throws Exception {
        try (var files = Files.list(config.images().dir())) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    static final Pattern NOT_AN_IMAGE = Pattern.compile("image is empty|not an image: .*|not a PNG or JPEG .*");
    static final Pattern PNG_BROKEN = Pattern.compile("PNG data is truncated: no IEND chunk at the end|PNG data is "
            + "corrupt or truncated");
    static final Pattern JPEG_BROKEN = Pattern.compile("JPEG data is corrupt or truncated");

    static Case malformed(Random r, List<byte[]> pngs, List<byte[]> jpegs) {
        byte[] png = pngs.get(r.nextInt(pngs.size()));
        byte[] jpeg = jpegs.get(r.nextInt(jpegs.size()));
        int kind = r.nextInt(100);
        if (kind < 12) {
            byte[] b = new byte[r.nextInt(3000)];
            r.nextBytes(b);
            if (b.length > 2 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8) {
                b[0] = 0; // random bytes that happen to open like a JPEG belong to another kind
            }
            return new Case("random-bytes", b, NOT_AN_IMAGE);
        }
        if (kind < 18) {
            String[] texts = {"patientid,age\n2,65\n", "{\"image\": \"x\"}", "<html><body>x-ray</body></html>",
                    "%PDF-1.7\n", "", " ", "\u0000\u0000\u0000"};
            return new Case("text", texts[r.nextInt(texts.length)].repeat(1 + r.nextInt(40))
                    .getBytes(StandardCharsets.UTF_8), NOT_AN_IMAGE);
        }
        if (kind < 36) {
            return new Case("truncated-png", Arrays.copyOf(png, 1 + r.nextInt(png.length - 1)),
                    Pattern.compile("not an image: .*|" + PNG_BROKEN.pattern()));
        }
        if (kind < 54) {
            int cut = 1 + r.nextInt(jpeg.length - 1);
            return new Case("truncated-jpeg", Arrays.copyOf(jpeg, cut),
                    cut < 3 ? NOT_AN_IMAGE : JPEG_BROKEN);
        }
        if (kind < 60) {
            int w = 1001 + r.nextInt(60_000);
            int h = 1001 + r.nextInt(60_000);
            return new Case("pixel-bomb", TestImages.pngDeclaring(png, w, h),
                    Pattern.compile("PNG is " + w + "x" + h + " = \\d+ pixels; at most 1000000 are accepted"));
        }
        if (kind < 64) {
            BufferedImage tiny = TestImages.grey(1 + r.nextInt(31), 1 + r.nextInt(200), r.nextInt());
            return new Case("tiny", r.nextBoolean() ? TestImages.png(tiny) : TestImages.jpeg(tiny),
                    Pattern.compile("(PNG|JPEG) is \\d+x\\d+ pixels; at least 32 a side are needed"));
        }
        if (kind < 68) {
            int bits = new int[]{1, 2, 4}[r.nextInt(3)];
            int colours = 1 << bits;
            byte[] grey = new byte[colours];
            for (int i = 0; i < colours; i++) {
                grey[i] = (byte) (i * 255 / (colours - 1));
            }
            BufferedImage low = new BufferedImage(32 + r.nextInt(64), 32 + r.nextInt(64),
                    BufferedImage.TYPE_BYTE_BINARY, new IndexColorModel(bits, colours, grey, grey, grey));
            return new Case("low-bit-depth", TestImages.png(low),
                    Pattern.compile("unsupported bit depth: PNG with " + bits + " bits per sample; 8 or 16 are "
                            + "accepted"));
        }
        if (kind < 74) {
            String[] formats = {"gif", "bmp", "tiff"};
            String f = formats[r.nextInt(formats.length)];
            return new Case("other-format", TestImages.write(TestImages.grey(40, 40, r.nextInt(100)), f),
                    Pattern.compile("not a PNG or JPEG image: the bytes are " + f.toUpperCase()));
        }
        if (kind < 77) {
            byte[] b = new byte[200 + r.nextInt(500)];
            r.nextBytes(b);
            byte[][] magic = {"DICM".getBytes(StandardCharsets.US_ASCII), "PK\u0003\u0004".getBytes(
                    StandardCharsets.US_ASCII), "%PDF".getBytes(StandardCharsets.US_ASCII)};
            int m = r.nextInt(magic.length);
            System.arraycopy(magic[m], 0, b, m == 0 ? 128 : 0, 4);
            b[0] = m == 0 ? 0 : b[0];
            return new Case("foreign-magic", b, NOT_AN_IMAGE);
        }
        if (kind < 78) {
            byte[] b = new byte[300_001 + r.nextInt(5000)];
            System.arraycopy(png, 0, b, 0, png.length);
            return new Case("oversize", b, Pattern.compile("image is more than 300000 bytes; at most 300000 are "
                    + "accepted"));
        }
        if (kind < 84) {
            byte[] b = png.clone();
            b[r.nextInt(8)] ^= (byte) (1 + r.nextInt(255));
            return new Case("png-signature-damaged", b, NOT_AN_IMAGE);
        }
        if (kind < 90) {
            byte[] b = png.clone();
            for (int k = 1 + r.nextInt(3); k > 0; k--) {
                b[8 + r.nextInt(60)] ^= (byte) (1 + r.nextInt(255)); // IHDR and what follows
            }
            return new Case("png-header-damaged", b, null);
        }
        if (kind < 95) {
            byte[] b = jpeg.clone();
            for (int k = 1 + r.nextInt(3); k > 0; k--) {
                b[3 + r.nextInt(b.length - 3)] ^= (byte) (1 + r.nextInt(255));
            }
            return new Case("jpeg-bytes-damaged", b, null);
        }
        byte[] b = png.clone();
        for (int k = 1 + r.nextInt(3); k > 0; k--) {
            b[60 + r.nextInt(b.length - 72)] ^= (byte) (1 + r.nextInt(255)); // image data, not the IEND
        }
        return new Case("png-data-damaged", b, null);
    }
}
