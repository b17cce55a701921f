package org.covidrisk.imaging.grpc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.covidrisk.imaging.model.CnnTrainer;
import org.covidrisk.imaging.model.NetOptions;
import org.covidrisk.imaging.model.SyntheticXrays;
import org.covidrisk.imaging.model.TrainOptions;
import org.covidrisk.imaging.model.XrayModel;
import org.covidrisk.imaging.model.XraySet;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Trains a tiny survival model on synthetic X-rays (seconds) and deploys it to the service under test. */
public class TinyModelResource implements QuarkusTestResourceLifecycleManager {

    static Path modelDir;

    @Override
    public Map<String, String> start() {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("ai.djl.pytorch.num_threads", "1");
        try {
            Path data = Files.createTempDirectory("imaging-synth");
            SyntheticXrays.write(data, 24, 64, 3);
            XraySet set = XraySet.load(data, 32);
            List<CnnTrainer.Sample> samples = set.images().stream().filter(i -> i.died() != null)
                    .map(i -> new CnnTrainer.Sample(i.pixels(), i.died() ? 1 : 0, i.patientId())).toList();
            modelDir = Files.createTempDirectory("imaging-model");
            try (XrayModel m = CnnTrainer.train(samples, new NetOptions(32, 4, new int[]{1, 1, 1, 1}, 2),
                    new TrainOptions(1, 4, 1e-3f, 0, false, 1), null, "survival", set.dataSha256())) {
                m.save(modelDir);
            }
            return Map.of("imaging.model-dir", modelDir.toString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
    }
}
