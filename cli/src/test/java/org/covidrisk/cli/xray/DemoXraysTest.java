package org.covidrisk.cli.xray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.covidrisk.imaging.model.XrayModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.inference.Predictor;

class DemoXraysTest {

    @TempDir
    Path run;

    @Test
    void aFreshMachineTrainsAServableModelFromSyntheticXrays() throws Exception {
        DemoXrays.Trained t = DemoXrays.prepare(run, 2021);
        System.out.printf("demo X-ray model: %s on %d images in %.1f s%n", t.architecture(), t.trainImages(),
                t.seconds());
        assertEquals(DemoXrays.modelDir(run), t.model());
        assertTrue(Files.isRegularFile(t.model().resolve("provenance.json")));
        assertTrue(t.trainImages() > 40, "a third of 160 patients carry a survival label, 1-3 images each");
        try (var lines = Files.lines(t.images().resolve("metadata.csv"))) {
            assertTrue(lines.count() > DemoXrays.PATIENTS, "every patient has at least one image");
        }
        try (XrayModel m = XrayModel.load(t.model()); Predictor<BufferedImage, Float> p = m.newPredictor()) {
            assertEquals(t.architecture(), m.provenance().architecture());
            assertEquals(2021, m.provenance().training().seed());
            BufferedImage first = ImageIO.read(t.images().resolve("images/synthetic-0-0.png").toFile());
            float prob = p.predict(first);
            assertTrue(prob > 0 && prob < 1, "a probability: " + prob);
        }
    }
}
