package org.covidrisk.imaging.model;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes uploaded X-ray bytes defensively: the size, the dimensions and the bit depth are checked from the
 * header before any pixel is decoded, so an oversized or exotic file is refused cheaply and with a reason.
 *
 * @param maxBytes largest accepted file
 * @param maxSide largest accepted width or height in pixels
 */
public record ImageDecoder(int maxBytes, int maxSide) {

    /** Smallest side that still carries a chest: anything smaller is a thumbnail or an icon. */
    public static final int MIN_SIDE = 32;

    /** Limits used by the service unless configured otherwise: 20 MB, 8192 pixels per side. */
    public static ImageDecoder defaults() {
        return new ImageDecoder(20 * 1024 * 1024, 8192);
    }

    /** The decoded image, or an {@link InvalidImageException} naming what is wrong. */
    public BufferedImage decode(byte[] bytes) throws InvalidImageException {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidImageException("image is empty");
        }
        if (bytes.length > maxBytes) {
            throw new InvalidImageException("image is " + bytes.length + " bytes; at most " + maxBytes
                    + " are accepted");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new InvalidImageException("not an image: the bytes are not PNG, JPEG, BMP, GIF or TIFF");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                String format = reader.getFormatName().toUpperCase(java.util.Locale.ROOT);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w > maxSide || h > maxSide) {
                    throw new InvalidImageException("image is " + w + "x" + h + " pixels; at most " + maxSide
                            + " per side are accepted");
                }
                if (w < MIN_SIDE || h < MIN_SIDE) {
                    throw new InvalidImageException("image is " + w + "x" + h + " pixels; at least " + MIN_SIDE
                            + " per side are needed");
                }
                ImageTypeSpecifier raw = reader.getRawImageType(0);
                if (raw != null) {
                    checkDepth(raw.getSampleModel().getSampleSize(), format);
                }
                // Codecs report a truncated stream as a warning and return a partly grey image; for a radiograph
                // that is a corrupt input, not a score.
                boolean[] warned = new boolean[1];
                reader.addIIOReadWarningListener((source, warning) -> warned[0] = true);
                BufferedImage image = reader.read(0);
                if (warned[0]) {
                    throw new InvalidImageException("image data is corrupt or truncated");
                }
                checkDepth(image.getSampleModel().getSampleSize(), format);
                return image;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            // ImageIO reports truncated or corrupt data as IOException or, for some codecs, runtime errors
            throw new InvalidImageException("image data is corrupt or truncated");
        }
    }

    /** 8 or 16 bits per stored sample (palette indices count as stored), the depths of radiographs exported from PACS; 1-bit or 32-bit are not X-rays. */
    private static void checkDepth(int[] bits, String format) throws InvalidImageException {
        for (int b : bits) {
            if (b != 8 && b != 16) {
                throw new InvalidImageException("unsupported bit depth: " + format + " with " + b
                        + " bits per channel; 8 or 16 are accepted");
            }
        }
    }
}
