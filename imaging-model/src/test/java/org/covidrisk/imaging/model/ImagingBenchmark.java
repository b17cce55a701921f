package org.covidrisk.imaging.model;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Benchmark side of {@code ./covid-risk bench imaging} (run by bench/imaging.sh, which runs the PyTorch peer in
 * the same run): (1) training time of the served model on a data directory (findings pre-training + survival
 * fine-tuning on every labelled patient); (2) a torchvision-resnet18-layout model at the same input size, its
 * weights exported for the peer and a reference input/output pair; (3) DJL inference images/s at the peer's batch
 * sizes, measured like the peer (random input, forward + softmax, for a fixed time).
 *
 * <p>
 * Arguments: data-dir out-dir seconds threads [--skip-training]
 */
public final class ImagingBenchmark {

    private ImagingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        Path out = Path.of(args[1]);
        double seconds = Double.parseDouble(args[2]);
        int threads = Integer.parseInt(args[3]);
        boolean skipTraining = args.length > 4 && args[4].equals("--skip-training");
        Files.createDirectories(out);
        var settings = ImagingValidation.Settings.defaults(42);
        int size = settings.net().inputSize();

        XraySet set = XraySet.load(data, size);
        if (!skipTraining) {
            long t0 = System.nanoTime();
            try (XrayModel pre = ImagingValidation.pretrain(set, p -> true, settings, 42);
                    XrayModel m = ImagingValidation.finetune(set, set.labelledPatients().keySet(), pre, settings,
                            42)) {
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("ours training: %s, %d images pre-training (%d epochs) + %d labelled patients "
                        + "fine-tuning (%d epochs), threads=%d: train_seconds=%.1f%n", settings.net().architecture(),
                        pre.provenance().trainImages(), settings.pretrain().epochs(), m.provenance().trainPatients(),
                        settings.finetune().epochs(), threads, s);
                m.save(out.resolve("served-model"));
                try (XrayModel folded = m.foldedForInference()) {
                    throughput(folded, seconds, "served-folded " + m.options().architecture(), threads);
                }
            }
        }

        // The peer's network: torchvision resnet18, one grey channel, 2 outputs. One short fine-tuning pass on real
        // images gives it trained batch-norm statistics, so both sides compute with realistic weights.
        NetOptions r18 = NetOptions.resnet18(size, 2);
        List<CnnTrainer.Sample> samples = set.images().stream().limit(64)
                .map(i -> new CnnTrainer.Sample(i.pixels(), i.died() != null && i.died() ? 1 : 0, i.patientId()))
                .toList();
        try (XrayModel m = CnnTrainer.train(samples, r18, new TrainOptions(1, 16, 1e-3f, 0, false, 42), null,
                "survival", set.dataSha256())) {
            m.exportTorchWeights(out.resolve("resnet18-weights.npz"));
            try (NDManager mgr = NDManager.newBaseManager(); Predictor<NDList, NDList> p = m.newTensorPredictor()) {
                NDArray x = mgr.create(randomInput(4, size, 7), new Shape(4, 1, size, size));
                x.setName("input");
                NDArray y = p.predict(new NDList(x)).singletonOrThrow().softmax(-1);
                y.setName("probabilities");
                try (OutputStream o = Files.newOutputStream(out.resolve("reference.npz"))) {
                    new NDList(x, y).encode(o, NDList.Encoding.NPZ);
                }
            }
            throughput(m, seconds, "resnet18-unfolded", threads);
            // what imaging-service runs: batch norm folded into the convolutions (same outputs, checked below)
            try (XrayModel folded = m.foldedForInference();
                    NDManager mgr = NDManager.newBaseManager();
                    Predictor<NDList, NDList> p = folded.newTensorPredictor()) {
                NDArray x = mgr.create(randomInput(4, size, 7), new Shape(4, 1, size, size));
                NDArray y = p.predict(new NDList(x)).singletonOrThrow().softmax(-1);
                x.setName("input");
                y.setName("probabilities");
                try (OutputStream o = Files.newOutputStream(out.resolve("reference-folded.npz"))) {
                    new NDList(x, y).encode(o, NDList.Encoding.NPZ);
                }
                throughput(folded, seconds, "resnet18", threads);
            }
        }
    }

    private static float[] randomInput(int n, int size, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * size * size];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        return x;
    }

    /**
     * Same loop as the peer: warm-up 3 passes, then forward + softmax on one fixed batch for {@code seconds}, with
     * autograd off on this thread (as the peer runs under torch.no_grad). Each pass is what imaging-service's
     * worker does per batch ({@code ForwardPasses}): the input copied into a per-pass manager, forward, softmax,
     * probabilities read back, the manager closed. The per-pass manager matters: DJL attaches every intermediate
     * array to the input's manager, so a loop over one long-lived input array keeps each pass's activations until
     * the loop ends, and every pass then writes fresh, never-touched memory (page faults: 2x slower at batch 16).
     */
    private static void throughput(XrayModel m, double seconds, String arch, int threads) throws Exception {
        XrayModel.noGrad();
        int size = m.options().inputSize();
        try (NDManager mgr = NDManager.newBaseManager(); Predictor<NDList, NDList> p = m.newTensorPredictor()) {
            for (int b : new int[]{1, 16}) {
                float[] input = randomInput(b, size, b);
                Shape shape = new Shape(b, 1, size, size);
                for (int i = 0; i < 3; i++) {
                    pass(p, mgr, input, shape);
                }
                long n = 0;
                long t0 = System.nanoTime();
                while (System.nanoTime() - t0 < seconds * 1e9) {
                    pass(p, mgr, input, shape);
                    n += b;
                }
                double dt = (System.nanoTime() - t0) / 1e9;
                System.out.printf("ours arch=%s size=%d batch=%d threads=%d images_per_s=%.1f ms_per_batch=%.1f%n",
                        arch, size, b, threads, n / dt, 1000 * dt * b / n);
            }
        }
    }

    private static float[] pass(Predictor<NDList, NDList> p, NDManager mgr, float[] input, Shape shape)
            throws Exception {
        try (NDManager step = mgr.newSubManager()) {
            NDArray x = step.create(input, shape);
            return p.predict(new NDList(x)).singletonOrThrow().softmax(1).toFloatArray();
        }
    }
}
