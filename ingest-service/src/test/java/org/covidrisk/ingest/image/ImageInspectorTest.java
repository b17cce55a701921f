package org.covidrisk.ingest.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageInspectorTest {

    @TempDir
    Path dir;

    final ImageInspector inspector = new ImageInspector(300_000, 1_000_000);

    ImageFacts inspect(byte[] bytes) throws Exception {
        Path f = Files.write(dir.resolve("upload"), bytes);
        return inspector.inspect(f);
    }

    String refusal(byte[] bytes) {
        ImageRefusedException e = assertThrows(ImageRefusedException.class, () -> inspect(bytes));
        assertEquals(ImageRefusedException.Kind.INVALID, e.kind());
        assertEquals("image", e.field());
        return e.getMessage();
    }

    @Test
    void pngAndJpegAreRecognisedByTheirSignatureWithSizeAndDepth() throws Exception {
        assertEquals(new ImageFacts("image/png", 120, 90, 8), inspect(TestImages.png(TestImages.grey(120, 90, 1))));
        assertEquals(new ImageFacts("image/jpeg", 64, 200, 8),
                inspect(TestImages.jpeg(TestImages.grey(64, 200, 2))));
        BufferedImage sixteen = new BufferedImage(40, 50, BufferedImage.TYPE_USHORT_GRAY);
        sixteen.getRaster().setSample(3, 4, 0, 60_000);
        assertEquals(new ImageFacts("image/png", 40, 50, 16), inspect(TestImages.png(sixteen)));
    }

    @Test
    void otherFormatsAreNamed() {
        assertEquals("not an image: the bytes start with neither the PNG nor the JPEG signature",
                refusal("patient,age\n1,50\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals("not a PNG or JPEG image: the bytes are GIF",
                refusal(TestImages.write(TestImages.grey(40, 40, 1), "gif")));
        assertEquals("not a PNG or JPEG image: the bytes are BMP",
                refusal(TestImages.write(TestImages.grey(40, 40, 1), "bmp")));
        assertEquals("not a PNG or JPEG image: the bytes are TIFF",
                refusal(TestImages.write(TestImages.grey(40, 40, 1), "tiff")));
        byte[] dicom = new byte[300];
        System.arraycopy("DICM".getBytes(StandardCharsets.US_ASCII), 0, dicom, 128, 4);
        assertEquals("not a PNG or JPEG image: the bytes are DICOM (export the X-ray as PNG or JPEG)",
                refusal(dicom));
        assertEquals("image is empty", refusal(new byte[0]));
    }

    @Test
    void limitsAreCheckedBeforeDecoding() {
        byte[] big = new byte[300_001];
        big[0] = (byte) 0x89;
        assertEquals("image is 300001 bytes; at most 300000 are accepted", refusal(big));
        // 1 KB on disk, 40,000 x 30,000 pixels declared: refused from the header, nothing allocated
        byte[] bomb = TestImages.pngDeclaring(TestImages.png(TestImages.grey(64, 64, 3)), 40_000, 30_000);
        assertEquals("PNG is 40000x30000 = 1200000000 pixels; at most 1000000 are accepted", refusal(bomb));
        assertEquals("PNG is 31x200 pixels; at least 32 a side are needed",
                refusal(TestImages.png(TestImages.grey(31, 200, 1))));
        assertEquals("unsupported bit depth: PNG with 1 bits per sample; 8 or 16 are accepted",
                refusal(TestImages.png(new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_BINARY))));
    }

    @Test
    void truncatedImagesAreRefusedAsTruncated() {
        byte[] png = TestImages.png(TestImages.grey(200, 150, 4));
        assertEquals("PNG data is truncated: no IEND chunk at the end",
                refusal(Arrays.copyOf(png, png.length - 1)));
        assertEquals("PNG data is truncated: no IEND chunk at the end", refusal(Arrays.copyOf(png, png.length / 2)));
        byte[] jpeg = TestImages.jpeg(TestImages.grey(200, 150, 4));
        for (int cut : new int[]{jpeg.length - 2, jpeg.length / 2, 200, 20, 3}) {
            assertEquals("JPEG data is corrupt or truncated", refusal(Arrays.copyOf(jpeg, cut)), "cut at " + cut);
        }
        // PNG with its IEND but image data cut out of the middle
        byte[] holed = new byte[png.length - 100];
        System.arraycopy(png, 0, holed, 0, png.length / 2);
        System.arraycopy(png, png.length / 2 + 100, holed, png.length / 2, png.length - png.length / 2 - 100);
        assertEquals("PNG data is corrupt or truncated", refusal(holed));
    }
}
