package org.covidrisk.imaging.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

class ImageDecoderTest {

    private final ImageDecoder decoder = new ImageDecoder(200_000, 512);

    static byte[] png(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    @Test
    void acceptsEightAndSixteenBitGrey() throws Exception {
        BufferedImage grey = new BufferedImage(64, 48, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(3, 4, 0, 200);
        BufferedImage decoded = decoder.decode(png(grey));
        assertEquals(64, decoded.getWidth());
        assertEquals(200, decoded.getRaster().getSample(3, 4, 0));
        BufferedImage deep = new BufferedImage(40, 40, BufferedImage.TYPE_USHORT_GRAY);
        assertEquals(40, decoder.decode(png(deep)).getHeight());
    }

    @Test
    void namesEachProblem() throws Exception {
        assertEquals("image is empty", message(new byte[0]));
        assertTrue(message("%PDF-1.4 not an x-ray".getBytes()).startsWith("not an image"));
        byte[] big = new byte[200_001];
        assertEquals("image is 200001 bytes; at most 200000 are accepted", message(big));
        assertEquals("image is 600x40 pixels; at most 512 per side are accepted",
                message(png(new BufferedImage(600, 40, BufferedImage.TYPE_BYTE_GRAY))));
        assertEquals("image is 20x20 pixels; at least 32 per side are needed",
                message(png(new BufferedImage(20, 20, BufferedImage.TYPE_BYTE_GRAY))));
        assertTrue(message(png(new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_BINARY)))
                .startsWith("unsupported bit depth: PNG with 1 bits per channel"));
        BufferedImage noise = new BufferedImage(128, 128, BufferedImage.TYPE_BYTE_GRAY);
        java.util.Random r = new java.util.Random(1);
        for (int y = 0; y < 128; y++) {
            for (int x = 0; x < 128; x++) {
                noise.getRaster().setSample(x, y, 0, r.nextInt(256));
            }
        }
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(noise, "jpeg", jpeg);
        byte[] ok = jpeg.toByteArray();
        assertEquals(128, decoder.decode(ok).getWidth());
        assertEquals("image data is corrupt or truncated", message(Arrays.copyOf(ok, ok.length / 2)));
    }

    private String message(byte[] bytes) {
        return assertThrows(InvalidImageException.class, () -> decoder.decode(bytes)).getMessage();
    }
}
