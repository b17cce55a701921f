package org.covidrisk.imaging.model;

import java.nio.FloatBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;

/**
 * Trains the X-ray CNN with DJL: Adam on softmax cross-entropy, class-balanced sampling (deaths are the minority)
 * and radiograph augmentation. Transfer learning copies every layer but the head from a pre-trained model.
 */
public final class CnnTrainer {

    /**
     * One training image.
     *
     * @param pixels normalised pixels
     * @param label class index
     * @param patientId patient, counted in provenance
     */
    public record Sample(float[] pixels, int label, String patientId) {
    }

    private CnnTrainer() {
    }

    /**
     * Trains a new model on {@code samples}; when {@code init} is given its backbone weights are the starting
     * point (transfer learning) and only the head starts from random weights.
     */
    public static XrayModel train(List<Sample> samples, NetOptions net, TrainOptions opt, XrayModel init,
            String task, String dataSha256) {
        int s = net.inputSize();
        XrayNet.Built built = XrayNet.build(net);
        Model model = Model.newInstance(XrayModel.NAME);
        model.setBlock(built.block());
        Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(opt.learningRate()))
                .optWeightDecays(opt.weightDecay()).build();
        var config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(adam);
        Random random = new Random(opt.seed());
        try (Trainer trainer = model.newTrainer(config)) {
            // The engine's random generator is process-wide: seeding and drawing the initial weights under one
            // lock keeps a run reproducible even when another thread trains (e.g. the service and a test).
            synchronized (CnnTrainer.class) {
                Engine.getInstance().setRandomSeed((int) opt.seed());
                trainer.initialize(new Shape(opt.batchSize(), 1, s, s));
            }
            if (init != null) {
                copyBackbone(init.net(), built);
            }
            int[] order = balancedOrder(samples, net.classes(), random);
            for (int epoch = 0; epoch < opt.epochs(); epoch++) {
                shuffle(order, random);
                for (int from = 0; from + 1 < order.length; from += opt.batchSize()) {
                    int n = Math.min(opt.batchSize(), order.length - from);
                    if (n < 2) {
                        break; // batch norm needs two images
                    }
                    float[] x = new float[n * s * s];
                    float[] y = new float[n];
                    for (int i = 0; i < n; i++) {
                        Sample smp = samples.get(order[from + i]);
                        float[] px = opt.augment() ? Augmenter.apply(smp.pixels(), s, random) : smp.pixels();
                        System.arraycopy(px, 0, x, i * s * s, s * s);
                        y[i] = smp.label();
                    }
                    try (NDManager step = trainer.getManager().newSubManager()) {
                        NDArray input = step.create(x, new Shape(n, 1, s, s));
                        NDArray label = step.create(y);
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDList pred = trainer.forward(new NDList(input));
                            NDArray loss = trainer.getLoss().evaluate(new NDList(label), pred);
                            gc.backward(loss);
                        }
                        trainer.step();
                    }
                }
            }
        }
        long patients = samples.stream().map(Sample::patientId).distinct().count();
        TrainOptions pre = init == null ? null : init.provenance().training();
        Provenance p = new Provenance(Provenance.FORMAT, task, net.architecture(), net, pre, opt, dataSha256,
                samples.size(), (int) patients, opt.seed(), versions(), Instant.now().toString());
        return new XrayModel(model, built, p);
    }

    /**
     * Image indices for one epoch where every class is drawn as often as the largest one (minority images
     * repeat), so the head does not learn "always survives" from 61 survivors and 15 deaths.
     */
    static int[] balancedOrder(List<Sample> samples, int classes, Random random) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < samples.size(); i++) {
            byClass.get(samples.get(i).label()).add(i);
        }
        int max = byClass.stream().mapToInt(List::size).max().orElse(0);
        List<Integer> out = new ArrayList<>();
        for (List<Integer> c : byClass) {
            if (c.isEmpty()) {
                continue;
            }
            out.addAll(c);
            // A class much smaller than the largest is repeated at most 4 times so a handful of images is not
            // memorised; sampling beyond that adds no information.
            int target = Math.min(max, c.size() * 4);
            for (int k = c.size(); k < target; k++) {
                out.add(c.get(random.nextInt(c.size())));
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void shuffle(int[] a, Random r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Copies weights and running statistics of every layer but {@code fc}. */
    static void copyBackbone(XrayNet.Built from, XrayNet.Built to) {
        for (String name : XrayNet.backbone(to)) {
            Block src = from.layers().get(name);
            Block dst = to.layers().get(name);
            Map<String, Parameter> srcParams = new LinkedHashMap<>();
            for (Pair<String, Parameter> p : src.getParameters()) {
                srcParams.put(p.getKey(), p.getValue());
            }
            for (Pair<String, Parameter> p : dst.getParameters()) {
                NDArray a = srcParams.get(p.getKey()).getArray();
                p.getValue().getArray().set(FloatBuffer.wrap(a.toFloatArray()));
            }
        }
    }

    static Map<String, String> versions() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("djl", Engine.getDjlVersion());
        v.put("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        v.put("java", System.getProperty("java.version"));
        return v;
    }
}
