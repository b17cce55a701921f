package org.covidrisk.imaging.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ai.djl.inference.Predictor;

/**
 * Guards the saved model format: a tiny survival model written by an earlier build (test resources
 * {@code frozen-xray/}) must still load and give the same probabilities for the same X-rays.
 * {@link #main} rewrites it, only when the format is changed on purpose.
 */
class FrozenModelTest {

    static final Path DIR = Path.of("src/test/resources/frozen-xray");

    @Test
    void frozenModelLoadsAndPredictsTheSame() throws Exception {
        JsonNode expected = new ObjectMapper().readTree(DIR.resolve("expected.json").toFile());
        try (XrayModel model = XrayModel.load(DIR)) {
            assertEquals("survival", model.provenance().task());
            assertEquals(expected.get("architecture").asText(), model.provenance().architecture());
            assertEquals(64, model.provenance().dataSha256().length());
            try (Predictor<BufferedImage, Float> p = model.newPredictor()) {
                for (int i = 0; i < 3; i++) {
                    BufferedImage img = ImageIO.read(DIR.resolve("input-" + i + ".png").toFile());
                    assertEquals(expected.get("probabilities").get(i).asDouble(), p.predict(img), 1e-5);
                }
            }
        }
    }

    /** Writes the frozen model, its inputs and the expected outputs. */
    public static void main(String[] args) throws Exception {
        Path data = Files.createTempDirectory("frozen-synth");
        SyntheticXrays.write(data, 24, 64, 5);
        XraySet set = XraySet.load(data, 32);
        NetOptions net = new NetOptions(32, 4, new int[]{1, 1, 1, 1}, 2);
        List<CnnTrainer.Sample> samples = set.images().stream().filter(i -> i.died() != null)
                .map(i -> new CnnTrainer.Sample(i.pixels(), i.died() ? 1 : 0, i.patientId())).toList();
        try (XrayModel m = CnnTrainer.train(samples, net, new TrainOptions(2, 4, 1e-3f, 0, true, 11), null,
                "survival", set.dataSha256())) {
            Files.createDirectories(DIR);
            m.save(DIR);
            Random r = new Random(3);
            StringBuilder probs = new StringBuilder();
            try (Predictor<BufferedImage, Float> p = m.newPredictor()) {
                for (int i = 0; i < 3; i++) {
                    BufferedImage img = SyntheticXrays.draw(96, i == 0 ? "No Finding" : "COVID-19", i * 0.45, r);
                    ImageIO.write(img, "png", DIR.resolve("input-" + i + ".png").toFile());
                    probs.append(i == 0 ? "" : ", ").append(p.predict(img));
                }
            }
            Files.writeString(DIR.resolve("expected.json"), "{\"architecture\": \"" + net.architecture()
                    + "\", \"probabilities\": [" + probs + "]}\n");
        }
    }
}
