package org.covidrisk.imaging.model;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;

/**
 * The one preprocessing of the suite, used by training and serving alike: grey, resize to a square of
 * {@code inputSize}, scale to [0, 1] and normalise with fixed constants (not per image, so that brightness
 * augmentation and real exposure differences stay visible to the network). As a DJL translator it turns an image
 * into the probability of the positive class (index 1: death for the survival model).
 */
public final class XrayTranslator implements Translator<BufferedImage, Float> {

    /** Grey level mean and spread used for normalisation (of radiographs scaled to [0, 1]). */
    static final float MEAN = 0.5f;
    static final float STD = 0.25f;

    private final int inputSize;

    public XrayTranslator(int inputSize) {
        this.inputSize = inputSize;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, BufferedImage input) {
        return new NDList(ctx.getNDManager().create(pixels(input, inputSize), new Shape(1, inputSize, inputSize)));
    }

    @Override
    public Float processOutput(TranslatorContext ctx, NDList list) {
        NDArray p = list.singletonOrThrow().softmax(-1);
        return p.getFloat(1);
    }

    /** Normalised grey pixels, row-major, {@code size × size}. */
    public static float[] pixels(BufferedImage image, int size) {
        BufferedImage grey = toGrey(image);
        // Halving steps with bilinear filtering avoid the aliasing of one large bilinear down-scale
        // (a 512-pixel X-ray to 64 pixels would otherwise sample only every eighth row).
        while (grey.getWidth() / 2 >= size && grey.getHeight() / 2 >= size) {
            grey = scale(grey, grey.getWidth() / 2, grey.getHeight() / 2);
        }
        if (grey.getWidth() != size || grey.getHeight() != size) {
            grey = scale(grey, size, size);
        }
        byte[] data = ((DataBufferByte) grey.getRaster().getDataBuffer()).getData();
        float[] out = new float[size * size];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((data[i] & 0xff) / 255f - MEAN) / STD;
        }
        return out;
    }

    private static BufferedImage toGrey(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            return image;
        }
        BufferedImage grey = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = grey.createGraphics();
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return grey;
    }

    private static BufferedImage scale(BufferedImage src, int w, int h) {
        BufferedImage dst = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = dst.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        return dst;
    }
}
