package org.covidrisk.imaging.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

class XrayNetTest {

    static List<CnnTrainer.Sample> noise(int n, int size, long seed) {
        Random r = new Random(seed);
        List<CnnTrainer.Sample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] p = new float[size * size];
            int label = i % 2;
            for (int k = 0; k < p.length; k++) {
                p[k] = (float) r.nextGaussian() + (label == 1 && k < size * size / 2 ? 1.5f : 0);
            }
            out.add(new CnnTrainer.Sample(p, label, "p" + i / 2));
        }
        return out;
    }

    @Test
    void savesLoadsAndExportsWithTorchvisionNames(@TempDir Path dir) throws Exception {
        NetOptions net = new NetOptions(32, 4, new int[]{2, 2, 2, 2}, 2);
        List<CnnTrainer.Sample> s = noise(16, 32, 1);
        List<float[]> px = s.stream().map(CnnTrainer.Sample::pixels).toList();
        try (XrayModel m = CnnTrainer.train(s, net, new TrainOptions(2, 8, 1e-3f, 0, true, 3), null, "survival",
                "abc")) {
            float[][] before = m.probabilities(px, 5);
            try (XrayModel folded = m.foldedForInference()) {
                float[][] f = folded.probabilities(px, 16);
                for (int i = 0; i < before.length; i++) {
                    assertArrayEquals(before[i], f[i], 1e-5f, "batch norm folded into the convolutions");
                }
            }
            m.save(dir);
            m.exportTorchWeights(dir.resolve("w.npz"));
            try (XrayModel l = XrayModel.load(dir)) {
                float[][] after = l.probabilities(px, 16);
                for (int i = 0; i < before.length; i++) {
                    assertArrayEquals(before[i], after[i], 1e-6f);
                    assertEquals(1.0, after[i][0] + after[i][1], 1e-5);
                }
                assertEquals(8, l.provenance().trainPatients());
                assertEquals("PyTorch 2.7.1", l.provenance().versions().get("engine"));
            }
            try (NDManager mgr = NDManager.newBaseManager();
                    var in = Files.newInputStream(dir.resolve("w.npz"))) {
                NDList w = NDList.decode(mgr, in);
                // torchvision resnet18's state dict has 102 tensors besides the 20 num_batches_tracked counters
                assertEquals(102, w.size());
                List<String> names = w.stream().map(a -> a.getName()).toList();
                assertEquals("conv1.weight", names.get(0));
                assertEquals("fc.bias", names.get(names.size() - 1));
                assertTrue(names.contains("layer2.0.downsample.0.weight"));
                assertTrue(names.contains("layer4.1.bn2.running_var"));
                assertFalse(names.contains("layer1.0.downsample.0.weight"), "torchvision has no projection there");
                assertArrayEquals(new long[]{4, 1, 7, 7}, w.get(0).getShape().getShape());
            }
        }
    }

    @Test
    void transferKeepsTheBackboneAndTrainingIsSeeded() {
        NetOptions net = new NetOptions(32, 4, new int[]{1, 1, 1, 1}, 3);
        List<CnnTrainer.Sample> three = noise(12, 32, 2).stream()
                .map(x -> new CnnTrainer.Sample(x.pixels(), Integer.parseInt(x.patientId().substring(1)) % 3,
                        x.patientId()))
                .toList();
        TrainOptions opt = new TrainOptions(1, 4, 1e-3f, 0, false, 9);
        try (XrayModel pre = CnnTrainer.train(three, net, opt, null, "finding", "x");
                XrayModel again = CnnTrainer.train(three, net, opt, null, "finding", "x");
                XrayModel other = CnnTrainer.train(three, net, opt.withSeed(10), null, "finding", "x")) {
            List<float[]> px = three.stream().map(CnnTrainer.Sample::pixels).toList();
            assertArrayEquals(pre.probabilities(px, 4)[0], again.probabilities(px, 4)[0], 1e-6f);
            assertNotEquals(pre.probabilities(px, 4)[0][0], other.probabilities(px, 4)[0][0]);
            // the fine-tuned model starts from the pre-trained stem: identical conv1 weights before training
            XrayNet.Built fresh = XrayNet.build(net.withClasses(2));
            try (var model = ai.djl.Model.newInstance("t")) {
                model.setBlock(fresh.block());
                try (var t = model.newTrainer(new ai.djl.training.DefaultTrainingConfig(
                        ai.djl.training.loss.Loss.softmaxCrossEntropyLoss()))) {
                    t.initialize(new ai.djl.ndarray.types.Shape(2, 1, 32, 32));
                    CnnTrainer.copyBackbone(pre.net(), fresh);
                    float[] a = pre.net().layers().get("conv1").getParameters().get(0).getValue().getArray()
                            .toFloatArray();
                    float[] b = fresh.layers().get("conv1").getParameters().get(0).getValue().getArray().toFloatArray();
                    assertArrayEquals(a, b, 0f);
                }
            }
        }
    }
}
