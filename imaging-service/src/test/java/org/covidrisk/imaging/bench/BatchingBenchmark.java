package org.covidrisk.imaging.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.covidrisk.imaging.model.CnnTrainer;
import org.covidrisk.imaging.model.NetOptions;
import org.covidrisk.imaging.model.TrainOptions;
import org.covidrisk.imaging.model.XrayModel;
import org.covidrisk.imaging.service.ForwardPasses;
import org.covidrisk.imaging.service.MicroBatcher;

/**
 * Throughput of the serving path with and without batching: the served architecture (ResNet basic blocks
 * [2,2,2,2], width 32, 64 × 64, batch norm folded), {@code workers} predictor threads behind the
 * {@link MicroBatcher}, {@code clients} threads each sending one image and waiting for its answer, for
 * {@code seconds} per setting. {@code max-batch 1} is one forward pass per request (the service before batching).
 * Usage: {@code BatchingBenchmark SECONDS CLIENTS WORKERS} (via {@code ./covid-risk bench imaging-batching}).
 */
public final class BatchingBenchmark {

    private BatchingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(args[0]);
        int clients = Integer.parseInt(args[1]);
        int workers = Integer.parseInt(args[2]);
        NetOptions net = new NetOptions(64, 32, new int[]{2, 2, 2, 2}, 2);
        Random r = new Random(42);
        List<CnnTrainer.Sample> samples = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            samples.add(new CnnTrainer.Sample(pixels(r, 64), i % 2, "b" + i));
        }
        // weights do not change the cost of a forward pass: one tiny training step gives a saved-format model
        try (XrayModel trained = CnnTrainer.train(samples, net, new TrainOptions(1, 2, 1e-3f, 0, false, 42), null,
                "survival", "bench"); XrayModel served = trained.foldedForInference()) {
            List<float[]> inputs = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                inputs.add(pixels(r, 64));
            }
            System.out.printf("[bench] %s, %d predictor threads (1 PyTorch thread each), %d clients, %d s per "
                    + "setting, %d cores%n", net.architecture(), workers, clients, seconds,
                    Runtime.getRuntime().availableProcessors());
            for (int[] setting : new int[][]{{1, 0}, {16, 3}, {1, 0}, {16, 3}}) {
                run(served, inputs, setting[0], Duration.ofMillis(setting[1]), workers, clients, 2); // warm-up
                run(served, inputs, setting[0], Duration.ofMillis(setting[1]), workers, clients, seconds);
            }
        }
    }

    private static void run(XrayModel model, List<float[]> inputs, int maxBatch, Duration wait, int workers,
            int clients, int seconds) throws InterruptedException {
        ForwardPasses passes = new ForwardPasses();
        AtomicLong answered = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        try (var batcher = new MicroBatcher<float[], Float>("bench", workers, 4 * clients, maxBatch, wait,
                () -> passes.create(model))) {
            List<Thread> threads = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int c = 0; c < clients; c++) {
                final int id = c;
                Thread t = new Thread(() -> {
                    int k = id;
                    while (!stop.get()) {
                        batcher.submit(inputs.get(k++ % inputs.size())).join();
                        answered.incrementAndGet();
                    }
                });
                t.start();
                threads.add(t);
            }
            Thread.sleep(seconds * 1000L);
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            double elapsed = (System.nanoTime() - t0) / 1e9;
            if (seconds > 2) {
                System.out.printf("[bench] max-batch %2d, wait %d ms: %7.1f images/s, %.1f images per forward pass "
                        + "(%d passes)%n", maxBatch, wait.toMillis(), answered.get() / elapsed,
                        (double) batcher.items() / Math.max(1, batcher.batches()), batcher.batches());
            }
        }
    }

    private static float[] pixels(Random r, int side) {
        float[] p = new float[side * side];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) r.nextGaussian();
        }
        return p;
    }
}
