package org.covidrisk.imaging.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;

/**
 * The X-ray CNN: a ResNet with basic blocks and one grey input channel, laid out exactly like torchvision's
 * {@code resnet18} (stem 7×7/2 + max-pool, four stages, a 1×1 projection only where the shape changes, global
 * average pooling, one linear head). It is assembled from DJL's own layers rather than taken from DJL's
 * {@code ResNetV1} builder because that builder adds a projection to the first block of every stage, which
 * torchvision does not: with this layout the PyTorch peer ({@code ../shared/peers/cnn_infer.py}) loads the very
 * same weights unmodified. Width and blocks per stage are options so that tests and the frozen model stay tiny.
 */
public final class XrayNet {

    /** The network and, for each weight-carrying layer, its torchvision state-dict prefix. */
    public record Built(SequentialBlock block, Map<String, Block> layers) {

        /**
         * Every parameter as a named array in torchvision state-dict order and naming ({@code conv1.weight},
         * {@code layer1.0.bn1.running_mean}, ..., {@code fc.bias}).
         */
        public NDList torchStateDict() {
            NDList out = new NDList();
            for (Map.Entry<String, Block> e : layers.entrySet()) {
                for (var p : e.getValue().getParameters()) {
                    NDArray a = p.getValue().getArray();
                    a.setName(e.getKey() + "." + torchName(p.getValue()));
                    out.add(a);
                }
            }
            return out;
        }
    }

    private XrayNet() {
    }

    /** Builds the network for {@code options}; parameters are initialised later by DJL. */
    public static Built build(NetOptions options) {
        return build(options, false);
    }

    /**
     * Builds the network; {@code folded} gives the inference form where each batch norm is folded into the
     * convolution before it (a convolution with bias, no batch-norm layer): the same function with half the
     * layers, see {@link #fold}.
     */
    static Built build(NetOptions options, boolean folded) {
        FOLDED.set(folded);
        try {
            return doBuild(options);
        } finally {
            FOLDED.remove();
        }
    }

    private static final ThreadLocal<Boolean> FOLDED = ThreadLocal.withInitial(() -> false);

    private static Built doBuild(NetOptions options) {
        Map<String, Block> layers = new LinkedHashMap<>();
        SequentialBlock net = new SequentialBlock();
        int width = options.width();
        net.add(conv(width, 7, 2, 3, layers, "conv1"));
        net.add(bn(layers, "bn1"));
        net.add(Activation.reluBlock());
        net.add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
        int in = width;
        int[] blocks = options.blocks();
        for (int stage = 0; stage < blocks.length; stage++) {
            int out = width << stage;
            for (int b = 0; b < blocks[stage]; b++) {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                String prefix = "layer" + (stage + 1) + "." + b;
                net.add(basicBlock(in, out, stride, layers, prefix));
                in = out;
            }
        }
        net.add(Pool.globalAvgPool2dBlock());
        net.add(Blocks.batchFlattenBlock());
        Linear fc = Linear.builder().setUnits(options.classes()).build();
        layers.put("fc", fc);
        net.add(fc);
        return new Built(net, layers);
    }

    private static Block basicBlock(int in, int out, int stride, Map<String, Block> layers, String prefix) {
        SequentialBlock main = new SequentialBlock().add(conv(out, 3, stride, 1, layers, prefix + ".conv1"))
                .add(bn(layers, prefix + ".bn1")).add(Activation.reluBlock())
                .add(conv(out, 3, 1, 1, layers, prefix + ".conv2")).add(bn(layers, prefix + ".bn2"));
        Block shortcut;
        if (stride != 1 || in != out) {
            shortcut = new SequentialBlock().add(conv(out, 1, stride, 0, layers, prefix + ".downsample.0"))
                    .add(bn(layers, prefix + ".downsample.1"));
        } else {
            shortcut = Blocks.identityBlock();
        }
        boolean inPlace = FOLDED.get();
        return new ParallelBlock(list -> {
            NDArray branch = list.get(0).singletonOrThrow();
            NDArray identity = list.get(1).singletonOrThrow();
            // the inference form runs without autograd: the shortcut is added into the main branch's fresh output
            // in place, as torchvision's block does (out += identity), one activation-sized allocation less
            NDArray sum = inPlace ? branch.addi(identity) : branch.add(identity);
            return new NDList(Activation.relu(sum));
        }, Arrays.asList(main, shortcut));
    }

    private static Block conv(int filters, int kernel, int stride, int pad, Map<String, Block> layers, String name) {
        Block c = Conv2d.builder().setFilters(filters).setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride)).optPadding(new Shape(pad, pad)).optBias(FOLDED.get()).build();
        layers.put(name, c);
        return c;
    }

    private static Block bn(Map<String, Block> layers, String name) {
        if (FOLDED.get()) {
            return Blocks.identityBlock();
        }
        // torchvision's defaults: eps 1e-5 and running statistics updated with 0.1 of each batch
        Block b = BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build();
        layers.put(name, b);
        return b;
    }

    /**
     * Copies a trained network into its folded form: for each convolution followed by batch norm,
     * {@code W' = W·γ/√(σ²+ε)} and {@code b' = β − μ·γ/√(σ²+ε)}, as PyTorch's own inference freezing does.
     * Evaluation-mode outputs are the same up to float rounding.
     */
    static void fold(Built trained, Built folded) {
        for (Map.Entry<String, Block> e : folded.layers().entrySet()) {
            String name = e.getKey();
            Block dst = e.getValue();
            Block src = trained.layers().get(name);
            if (name.equals("fc")) {
                set(dst, "weight", param(src, "weight").toFloatArray());
                set(dst, "bias", param(src, "bias").toFloatArray());
                continue;
            }
            Block bn = trained.layers().get(bnOf(name));
            NDArray scale = param(bn, "gamma").div(param(bn, "runningVar").add(1e-5f).sqrt());
            NDArray w = param(src, "weight");
            NDArray weight = w.mul(scale.reshape(scale.getShape().get(0), 1, 1, 1));
            NDArray bias = param(bn, "beta").sub(param(bn, "runningMean").mul(scale));
            set(dst, "weight", weight.toFloatArray());
            set(dst, "bias", bias.toFloatArray());
            scale.close();
            weight.close();
            bias.close();
        }
    }

    private static String bnOf(String conv) {
        if (conv.endsWith("downsample.0")) {
            return conv.substring(0, conv.length() - 1) + "1";
        }
        return conv.substring(0, conv.length() - "conv1".length()) + "bn" + conv.charAt(conv.length() - 1);
    }

    private static NDArray param(Block b, String name) {
        for (var p : b.getParameters()) {
            if (p.getKey().equals(name)) {
                return p.getValue().getArray();
            }
        }
        throw new IllegalStateException("no parameter " + name);
    }

    private static void set(Block b, String name, float[] values) {
        param(b, name).set(java.nio.FloatBuffer.wrap(values));
    }

    /** The torchvision name of a DJL parameter (BatchNorm's gamma/beta are weight/bias there). */
    static String torchName(Parameter p) {
        return switch (p.getName()) {
            case "gamma" -> "weight";
            case "beta" -> "bias";
            case "runningMean" -> "running_mean";
            case "runningVar" -> "running_var";
            default -> p.getName();
        };
    }

    /** Names of the layers of the feature extractor, i.e. everything but the classification head. */
    static List<String> backbone(Built built) {
        List<String> names = new ArrayList<>(built.layers().keySet());
        names.remove("fc");
        return names;
    }
}
