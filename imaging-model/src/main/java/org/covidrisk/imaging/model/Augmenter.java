package org.covidrisk.imaging.model;

import java.util.Random;

/**
 * Augmentation suited to radiographs: a small rotation (±7°), shift (±6 %), zoom (±6 %), brightness (±0.1 in
 * normalised units) and contrast (±10 %). No vertical flip (an upside-down chest does not occur) and no
 * horizontal flip (the heart is on the left). Hand-written on the normalised pixels because DJL has no rotation
 * or affine transform for images; it is one inverse-mapped bilinear warp.
 */
public final class Augmenter {

    private Augmenter() {
    }

    /** A randomly warped copy of {@code px} ({@code size × size}); edges repeat the border pixels. */
    public static float[] apply(float[] px, int size, Random r) {
        double angle = Math.toRadians((r.nextDouble() * 2 - 1) * 7);
        double scale = 1 + (r.nextDouble() * 2 - 1) * 0.06;
        double dx = (r.nextDouble() * 2 - 1) * 0.06 * size;
        double dy = (r.nextDouble() * 2 - 1) * 0.06 * size;
        float brightness = (float) ((r.nextDouble() * 2 - 1) * 0.1);
        float contrast = (float) (1 + (r.nextDouble() * 2 - 1) * 0.1);
        double cos = Math.cos(angle) / scale;
        double sin = Math.sin(angle) / scale;
        double c = (size - 1) / 2.0;
        float[] out = new float[px.length];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double u = x - c - dx;
                double v = y - c - dy;
                double sx = cos * u + sin * v + c;
                double sy = -sin * u + cos * v + c;
                out[y * size + x] = bilinear(px, size, sx, sy) * contrast + brightness;
            }
        }
        return out;
    }

    private static float bilinear(float[] px, int size, double x, double y) {
        x = Math.max(0, Math.min(size - 1, x));
        y = Math.max(0, Math.min(size - 1, y));
        int x0 = (int) x;
        int y0 = (int) y;
        int x1 = Math.min(x0 + 1, size - 1);
        int y1 = Math.min(y0 + 1, size - 1);
        float fx = (float) (x - x0);
        float fy = (float) (y - y0);
        float top = px[y0 * size + x0] * (1 - fx) + px[y0 * size + x1] * fx;
        float bottom = px[y1 * size + x0] * (1 - fx) + px[y1 * size + x1] * fx;
        return top * (1 - fy) + bottom * fy;
    }
}
