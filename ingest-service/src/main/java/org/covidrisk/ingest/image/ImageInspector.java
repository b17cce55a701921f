package org.covidrisk.ingest.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;

/**
 * Decides whether uploaded bytes are a chest X-ray the suite can store and later score: PNG or JPEG by their
 * signature (never by the file name or the declared content type), within the byte and pixel limits, 8 or 16 bits
 * per sample, at least {@value #MIN_SIDE} pixels a side, and complete. The pixel limit is checked from the header
 * before any pixel is decoded; the full decode that proves the data complete runs subsampled, so its memory stays
 * small whatever the image size. Every refusal names the problem.
 *
 * <p>
 * ImageIO is the decoder (JDK, maintained); no Java DICOM reader resolves here, so DICOM is refused with a hint.
 * imaging-service has its own decoder for scoring (in imaging-model, a plain jar with DJL that this service should
 * not depend on); both take the same 8/16-bit and {@value #MIN_SIDE}-pixel rules so a stored image is scorable.
 *
 * @param maxBytes largest accepted file
 * @param maxPixels largest accepted width × height
 */
public record ImageInspector(long maxBytes, long maxPixels) {

    /** Smallest side that still carries a chest (the imaging decoder's limit too). */
    public static final int MIN_SIDE = 32;

    /** Longest side of the subsampled proof decode. */
    private static final int PROOF_SIDE = 256;

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final byte[] PNG_END = {0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xae, 0x42, 0x60, (byte) 0x82};

    /** The facts of the image in {@code file}, or an {@link ImageRefusedException} naming what is wrong. */
    public ImageFacts inspect(Path file) {
        long size;
        byte[] head;
        try {
            size = Files.size(file);
            try (InputStream in = Files.newInputStream(file)) {
                head = in.readNBytes(132);
            }
        } catch (IOException e) {
            throw new ImageRefusedException(ImageRefusedException.Kind.UNAVAILABLE, "image",
                    "the upload could not be read back; retry");
        }
        if (size == 0) {
            throw ImageRefusedException.invalid("image", "image is empty");
        }
        if (size > maxBytes) {
            throw ImageRefusedException.invalid("image", "image is " + size + " bytes; at most " + maxBytes
                    + " are accepted");
        }
        String format = sniff(head);
        if (format.equals("png") && !endsWith(file, size, PNG_END)) {
            throw ImageRefusedException.invalid("image", "PNG data is truncated: no IEND chunk at the end");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                String name = format.toUpperCase(java.util.Locale.ROOT);
                if ((long) w * h > maxPixels) {
                    throw ImageRefusedException.invalid("image", name + " is " + w + "x" + h + " = " + (long) w * h
                            + " pixels; at most " + maxPixels + " are accepted");
                }
                if (w < MIN_SIDE || h < MIN_SIDE) {
                    throw ImageRefusedException.invalid("image", name + " is " + w + "x" + h + " pixels; at least "
                            + MIN_SIDE + " a side are needed");
                }
                ImageTypeSpecifier raw = reader.getRawImageType(0);
                int depth = raw == null ? 8 : depth(raw.getSampleModel().getSampleSize(), name);
                // Codecs report a truncated or damaged stream as a warning and fill the rest with grey; for a
                // radiograph that is a broken file, not an image.
                boolean[] warned = new boolean[1];
                reader.addIIOReadWarningListener((source, warning) -> warned[0] = true);
                ImageReadParam param = reader.getDefaultReadParam();
                int step = Math.max(1, Math.max(w, h) / PROOF_SIDE);
                param.setSourceSubsampling(step, step, 0, 0);
                reader.read(0, param);
                if (warned[0]) {
                    throw ImageRefusedException.invalid("image", name + " data is corrupt or truncated");
                }
                return new ImageFacts(format.equals("png") ? "image/png" : "image/jpeg", w, h, depth);
            } finally {
                reader.dispose();
            }
        } catch (ImageRefusedException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // ImageIO reports broken data as IOException or, for some codecs, runtime errors (never echoed)
            throw ImageRefusedException.invalid("image", format.toUpperCase(java.util.Locale.ROOT)
                    + " data is corrupt or truncated");
        }
    }

    /** {@code png} or {@code jpeg} from the signature; anything else is refused, naming what it looks like. */
    static String sniff(byte[] head) {
        if (startsWith(head, PNG)) {
            return "png";
        }
        if (head.length >= 3 && (head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xd8 && (head[2] & 0xff) == 0xff) {
            return "jpeg";
        }
        String seen;
        if (head.length >= 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M') {
            seen = "DICOM (export the X-ray as PNG or JPEG)";
        } else if (startsWith(head, "GIF8".getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
            seen = "GIF";
        } else if (startsWith(head, new byte[]{'B', 'M'})) {
            seen = "BMP";
        } else if (startsWith(head, new byte[]{'I', 'I', 42, 0}) || startsWith(head, new byte[]{'M', 'M', 0, 42})) {
            seen = "TIFF";
        } else if (startsWith(head, "%PDF".getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
            seen = "PDF";
        } else if (startsWith(head, new byte[]{'P', 'K', 3, 4})) {
            seen = "ZIP";
        } else {
            seen = "";
        }
        throw ImageRefusedException.invalid("image", seen.isEmpty()
                ? "not an image: the bytes start with neither the PNG nor the JPEG signature"
                : "not a PNG or JPEG image: the bytes are " + seen);
    }

    private static int depth(int[] bits, String format) {
        for (int b : bits) {
            if (b != 8 && b != 16) {
                throw ImageRefusedException.invalid("image", "unsupported bit depth: " + format + " with " + b
                        + " bits per sample; 8 or 16 are accepted");
            }
        }
        return bits.length == 0 ? 8 : bits[0];
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        return data.length >= prefix.length && Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static boolean endsWith(Path file, long size, byte[] suffix) {
        if (size < suffix.length) {
            return false;
        }
        try (var ch = Files.newByteChannel(file)) {
            ch.position(size - suffix.length);
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(suffix.length);
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // read the tail fully
            }
            return Arrays.equals(buf.array(), suffix);
        } catch (IOException e) {
            return false;
        }
    }
}
