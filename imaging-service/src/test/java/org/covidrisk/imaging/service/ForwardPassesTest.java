package org.covidrisk.imaging.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.covidrisk.imaging.model.CnnTrainer;
import org.covidrisk.imaging.model.NetOptions;
import org.covidrisk.imaging.model.TrainOptions;
import org.covidrisk.imaging.model.XrayModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A worker's forward pass releases everything it allocates: DJL attaches each intermediate array to the manager of
 * the input, so an input on a long-lived manager would keep every pass's activations alive (the service would grow
 * by each batch's activations; the first benchmark loop did exactly that).
 */
class ForwardPassesTest {

    @BeforeAll
    static void offline() {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("ai.djl.pytorch.num_threads", "1");
    }

    @Test
    void aPassKeepsNoArraysAndScoresLikeTheModel() throws Exception {
        Random r = new Random(5);
        List<CnnTrainer.Sample> samples = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            float[] px = new float[32 * 32];
            for (int k = 0; k < px.length; k++) {
                px[k] = (float) r.nextGaussian();
            }
            samples.add(new CnnTrainer.Sample(px, i % 2, "p" + i));
        }
        List<float[]> images = samples.stream().map(CnnTrainer.Sample::pixels).toList();
        try (XrayModel trained = CnnTrainer.train(samples, new NetOptions(32, 4, new int[]{1, 1, 1, 1}, 2),
                new TrainOptions(1, 4, 1e-3f, 0, false, 1), null, "survival", "t");
                XrayModel served = trained.foldedForInference()) {
            float[][] expected = served.probabilities(images, 8);
            int before = served.djlModel().getNDManager().getManagedArrays().size();
            MicroBatcher.Batch<float[], Float> pass = new ForwardPasses().create(served);
            try {
                List<Float> scores = List.of();
                for (int i = 0; i < 20; i++) {
                    scores = pass.apply(images);
                }
                assertEquals(before, served.djlModel().getNDManager().getManagedArrays().size(),
                        "arrays left behind by 20 forward passes");
                for (int i = 0; i < images.size(); i++) {
                    assertEquals(expected[i][1], scores.get(i), 1e-6f);
                }
            } finally {
                pass.close();
            }
        }
    }
}
