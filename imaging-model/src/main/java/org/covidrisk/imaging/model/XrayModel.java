package org.covidrisk.imaging.model;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;

/**
 * A trained X-ray CNN with its provenance: saved as {@code xraynet-0000.params} plus {@code provenance.json}
 * (the options needed to rebuild the network), loaded once and shared; predictors are made per thread.
 */
public final class XrayModel implements AutoCloseable {

    /** File name prefix of the weights in a model directory. */
    public static final String NAME = "xraynet";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Model model;
    private final XrayNet.Built net;
    private final Provenance provenance;

    private final boolean folded;

    XrayModel(Model model, XrayNet.Built net, Provenance provenance) {
        this(model, net, provenance, false);
    }

    private XrayModel(Model model, XrayNet.Built net, Provenance provenance, boolean folded) {
        this.model = model;
        this.net = net;
        this.provenance = provenance;
        this.folded = folded;
    }

    public Provenance provenance() {
        return provenance;
    }

    public NetOptions options() {
        return provenance.net();
    }

    /** The DJL model (for training code and benchmarks in this package's users). */
    public Model djlModel() {
        return model;
    }

    XrayNet.Built net() {
        return net;
    }

    /** A predictor for one thread: image in, probability of class 1 out. Close it when done. */
    public Predictor<BufferedImage, Float> newPredictor() {
        return model.newPredictor(new XrayTranslator(options().inputSize()));
    }

    /** A predictor of raw logits for batches of already normalised pixels ({@code N×1×S×S}). */
    public Predictor<NDList, NDList> newTensorPredictor() {
        return model.newPredictor(new NoopTranslator());
    }

    /** Class probabilities of already normalised images, in batches of {@code batch}. */
    public float[][] probabilities(List<float[]> pixels, int batch) {
        int s = options().inputSize();
        noGrad();
        float[][] out = new float[pixels.size()][];
        try (Predictor<NDList, NDList> p = newTensorPredictor(); NDManager m = model.getNDManager().newSubManager()) {
            for (int from = 0; from < pixels.size(); from += batch) {
                int n = Math.min(batch, pixels.size() - from);
                float[] buf = new float[n * s * s];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(pixels.get(from + i), 0, buf, i * s * s, s * s);
                }
                try (NDManager step = m.newSubManager()) {
                    NDArray x = step.create(buf, new Shape(n, 1, s, s));
                    NDArray prob = p.predict(new NDList(x)).singletonOrThrow().softmax(-1);
                    float[] flat = prob.toFloatArray();
                    int k = flat.length / n;
                    for (int i = 0; i < n; i++) {
                        out[from + i] = java.util.Arrays.copyOfRange(flat, i * k, (i + 1) * k);
                    }
                }
            }
        } catch (TranslateException e) {
            throw new IllegalStateException("forward pass failed", e);
        }
        return out;
    }

    /**
     * Turns PyTorch's autograd recording off for the calling thread. Grad mode is per thread in PyTorch and DJL
     * switches it off only on the thread that starts the engine, so inference on pool threads would otherwise
     * record a backward graph for every forward pass.
     */
    public static void noGrad() {
        if ("PyTorch".equals(ai.djl.engine.Engine.getInstance().getEngineName())) {
            ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        }
    }

    /**
     * The serving form of this model: batch norms folded into the convolutions (same outputs up to float
     * rounding, about half the layers per forward pass). Not trainable; close it independently.
     */
    public XrayModel foldedForInference() {
        XrayNet.Built folded = XrayNet.build(options(), true);
        Model m = Model.newInstance(NAME + "-folded");
        m.setBlock(folded.block());
        int s = options().inputSize();
        folded.block().initialize(m.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 1, s, s));
        XrayNet.fold(net, folded);
        return new XrayModel(m, folded, provenance, true);
    }

    /** True for the folded serving form, which cannot be saved or exported (save the trained model instead). */
    public boolean folded() {
        return folded;
    }

    /** Writes the weights and {@code provenance.json} into {@code dir}. */
    public void save(Path dir) throws IOException {
        if (folded) {
            throw new IllegalStateException("save the trained model, not its folded serving form");
        }
        Files.createDirectories(dir);
        model.save(dir, NAME);
        JSON.writeValue(dir.resolve("provenance.json").toFile(), provenance);
    }

    /** Loads a model saved by {@link #save}; the network is rebuilt from its provenance. */
    public static XrayModel load(Path dir) throws IOException {
        Provenance p = JSON.readValue(dir.resolve("provenance.json").toFile(), Provenance.class);
        if (p.format() != Provenance.FORMAT) {
            throw new IOException("model format " + p.format() + " is not " + Provenance.FORMAT);
        }
        XrayNet.Built built = XrayNet.build(p.net());
        Model m = Model.newInstance(NAME);
        m.setBlock(built.block());
        try {
            m.load(dir, NAME);
        } catch (MalformedModelException e) {
            m.close();
            throw new IOException("weights in " + dir + " do not fit " + p.architecture(), e);
        }
        return new XrayModel(m, built, p);
    }

    /**
     * Writes the weights as NumPy {@code .npz} with torchvision state-dict names, the form the PyTorch peer loads
     * after {@code torch.from_numpy}.
     */
    public void exportTorchWeights(Path npz) throws IOException {
        try (OutputStream out = Files.newOutputStream(npz)) {
            net.torchStateDict().encode(out, NDList.Encoding.NPZ);
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
