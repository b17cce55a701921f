package org.covidrisk.cli.xray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.covidrisk.imaging.model.CnnTrainer;
import org.covidrisk.imaging.model.NetOptions;
import org.covidrisk.imaging.model.SyntheticXrays;
import org.covidrisk.imaging.model.TrainOptions;
import org.covidrisk.imaging.model.XrayModel;
import org.covidrisk.imaging.model.XraySet;

/**
 * The demo's X-ray model: seeded synthetic radiographs ({@link SyntheticXrays}) and a small CNN trained on their
 * survival labels, saved where the launcher deploys it to imaging-service ({@code <run dir>/imaging-model}), so a
 * fresh machine serves X-ray scores without any data. Sized for a demo on two cores (a quarter-width ResNet with
 * one block per stage at 64 × 64, a few epochs: seconds), not for accuracy; {@code imaging-validate} trains the
 * full model.
 */
public final class DemoXrays {

    /** Synthetic patients (1-3 images each; about a third carry a survival label). */
    public static final int PATIENTS = 160;
    /** Side of the synthetic images; the network scales them to its input. */
    public static final int IMAGE_SIDE = 128;

    /**
     * What was trained.
     *
     * @param images directory of the synthetic set (metadata.csv + images/)
     * @param model directory of the saved model
     * @param trainImages labelled images trained on
     * @param architecture network name
     * @param seconds training wall time
     */
    public record Trained(Path images, Path model, int trainImages, String architecture, double seconds) {
    }

    private DemoXrays() {
    }

    /** Where the launcher looks for the X-ray model of a run directory. */
    public static Path modelDir(Path runDir) {
        return runDir.resolve("imaging-model");
    }

    /** Writes the synthetic set into {@code runDir/xrays} and trains and saves the model. */
    public static Trained prepare(Path runDir, long seed) throws IOException {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("ai.djl.pytorch.num_threads", "1");
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        long t0 = System.nanoTime();
        Path images = runDir.resolve("xrays");
        deleteTree(images);
        SyntheticXrays.write(images, PATIENTS, IMAGE_SIDE, seed);
        NetOptions net = new NetOptions(64, 16, new int[]{1, 1, 1, 1}, 2);
        XraySet set = XraySet.load(images, net.inputSize());
        List<CnnTrainer.Sample> samples = set.images().stream().filter(i -> i.died() != null)
                .map(i -> new CnnTrainer.Sample(i.pixels(), i.died() ? 1 : 0, i.patientId())).toList();
        Path model = modelDir(runDir);
        deleteTree(model);
        try (XrayModel m = CnnTrainer.train(samples, net, new TrainOptions(6, 16, 2e-3f, 1e-4f, true, seed), null,
                "survival", set.dataSha256())) {
            m.save(model);
        }
        return new Trained(images, model, samples.size(), net.architecture(), (System.nanoTime() - t0) / 1e9);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
