package org.covidrisk.imaging.model;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RadialGradientPaint;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import javax.imageio.ImageIO;

/**
 * Seeded chest-X-ray-like images with a learnable signal, so the demo and the tests need no patient data. Each
 * image has a body, two dark lung fields, a spine, ribs and heart; opacities in the lungs depend on the finding
 * (none, one dense lobar patch for other pneumonias, bilateral peripheral haze for COVID-19) and their extent
 * grows with a latent severity that, with age, drives death. Written in the layout of the shared set:
 * {@code metadata.csv} + {@code images/*.png}.
 */
public final class SyntheticXrays {

    private SyntheticXrays() {
    }

    /** {@code SyntheticXrays DIR PATIENTS SIZE SEED}: writes a synthetic directory (benchmarks without data). */
    public static void main(String[] args) throws IOException {
        write(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]));
    }

    /**
     * Writes {@code patients} patients (1–3 images each) of side {@code size} into {@code dir}; a third of the
     * patients have a survival label, as in the shared set.
     */
    public static void write(Path dir, int patients, int size, long seed) throws IOException {
        Random r = new Random(seed);
        Files.createDirectories(dir.resolve("images"));
        try (Writer w = Files.newBufferedWriter(dir.resolve("metadata.csv"), StandardCharsets.UTF_8)) {
            w.write("patientid,offset,sex,age,finding,survival,intubated,went_icu,needed_supplemental_O2,view,"
                    + "modality,filename,license,doi,url\n");
            for (int p = 0; p < patients; p++) {
                double u = r.nextDouble();
                String finding = u < 0.65 ? "COVID-19" : u < 0.85 ? "Pneumonia" : "No Finding";
                double severity = finding.equals("No Finding") ? 0 : 0.15 + 0.85 * r.nextDouble();
                int age = 25 + r.nextInt(65);
                String sex = r.nextBoolean() ? "M" : "F";
                double logit = -3.2 + 4.0 * severity + 0.03 * (age - 55) + (sex.equals("M") ? 0.3 : 0);
                boolean died = r.nextDouble() < 1 / (1 + Math.exp(-logit));
                boolean labelled = finding.equals("COVID-19") ? r.nextDouble() < 0.5 : r.nextDouble() < 0.15;
                int images = 1 + r.nextInt(3);
                for (int k = 0; k < images; k++) {
                    String file = "synthetic-" + p + "-" + k + ".png";
                    ImageIO.write(draw(size, finding, Math.min(1, severity * (0.85 + 0.3 * r.nextDouble())), r), "png",
                            dir.resolve("images").resolve(file).toFile());
                    w.write(p + "," + k + "," + sex + "," + age + "," + finding + ","
                            + (labelled ? (died ? "N" : "Y") : "") + ",,,,PA,X-ray," + file + ",synthetic,,\n");
                }
            }
        }
    }

    /** One radiograph: bright means dense (bone, fluid), dark means air, as on film. */
    static BufferedImage draw(int size, String finding, double severity, Random r) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        double s = size;
        double jx = (r.nextDouble() - 0.5) * 0.06 * s;
        double jy = (r.nextDouble() - 0.5) * 0.06 * s;
        g.setColor(new Color(20, 20, 20));
        g.fillRect(0, 0, size, size);
        g.setColor(gray(150 + r.nextInt(30)));
        g.fill(new Ellipse2D.Double(0.08 * s + jx, 0.05 * s + jy, 0.84 * s, 1.0 * s));
        int lung = 45 + r.nextInt(20);
        g.setColor(gray(lung));
        g.fill(new Ellipse2D.Double(0.18 * s + jx, 0.18 * s + jy, 0.28 * s, 0.6 * s));
        g.fill(new Ellipse2D.Double(0.54 * s + jx, 0.18 * s + jy, 0.28 * s, 0.6 * s));
        g.setColor(gray(200));
        g.fill(new Ellipse2D.Double(0.46 * s + jx, 0.45 * s + jy, 0.22 * s, 0.28 * s)); // heart, patient's left
        g.fillRect((int) (0.47 * s + jx), 0, (int) (0.06 * s), size); // spine
        g.setStroke(new BasicStroke((float) Math.max(1, s / 100)));
        g.setColor(gray(140));
        for (int i = 0; i < 8; i++) {
            double y = (0.2 + i * 0.075) * s + jy;
            g.drawArc((int) (0.16 * s + jx), (int) y, (int) (0.34 * s), (int) (0.12 * s), 20, 140);
            g.drawArc((int) (0.5 * s + jx), (int) y, (int) (0.34 * s), (int) (0.12 * s), 20, 140);
        }
        if (finding.equals("COVID-19")) {
            int blobs = 2 + (int) Math.round(severity * 10);
            for (int i = 0; i < blobs; i++) {
                boolean left = i % 2 == 0;
                double cx = (left ? 0.22 : 0.66) * s + r.nextDouble() * 0.12 * s + jx;
                double cy = (0.3 + r.nextDouble() * 0.45) * s + jy;
                haze(g, cx, cy, (0.05 + 0.08 * severity) * s, (int) (40 + 90 * severity));
            }
        } else if (finding.equals("Pneumonia")) {
            double cx = (r.nextBoolean() ? 0.3 : 0.68) * s + jx;
            double cy = (0.55 + r.nextDouble() * 0.15) * s + jy;
            haze(g, cx, cy, (0.08 + 0.1 * severity) * s, (int) (90 + 100 * severity));
        }
        g.dispose();
        // film grain, so no two images are alike at the pixel level
        var raster = img.getRaster();
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int v = raster.getSample(x, y, 0) + (int) (r.nextGaussian() * 6);
                raster.setSample(x, y, 0, Math.max(0, Math.min(255, v)));
            }
        }
        return img;
    }

    private static void haze(Graphics2D g, double cx, double cy, double radius, int alpha) {
        float rad = (float) Math.max(1, radius);
        g.setPaint(new RadialGradientPaint((float) cx, (float) cy, rad, new float[]{0f, 1f},
                new Color[]{new Color(235, 235, 235, Math.min(255, alpha)), new Color(235, 235, 235, 0)}));
        g.fill(new Ellipse2D.Double(cx - rad, cy - rad, 2 * rad, 2 * rad));
    }

    private static Color gray(int v) {
        return new Color(v, v, v);
    }
}
