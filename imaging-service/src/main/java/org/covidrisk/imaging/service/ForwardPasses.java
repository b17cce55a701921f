package org.covidrisk.imaging.service;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.covidrisk.imaging.model.XrayModel;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Makes each batch worker's forward pass: one DJL predictor per worker thread (predictors are not thread-safe),
 * normalised pixels of N images stacked into one {@code N×1×S×S} tensor, one forward pass, softmax, the
 * probability of class 1 (death) per image. A bean so that a test can hold the workers at a gate.
 */
@ApplicationScoped
public class ForwardPasses {

    /** A forward pass for the calling (worker) thread. */
    public MicroBatcher.Batch<float[], Float> create(XrayModel model) {
        return new Pass(model);
    }

    private static final class Pass implements MicroBatcher.Batch<float[], Float> {
        private final int side;
        private final Predictor<NDList, NDList> predictor;
        private final NDManager manager;

        Pass(XrayModel model) {
            XrayModel.noGrad(); // grad mode is per PyTorch thread: this worker's
            side = model.options().inputSize();
            predictor = model.newTensorPredictor();
            manager = model.djlModel().getNDManager().newSubManager();
        }

        @Override
        public List<Float> apply(List<float[]> images) throws Exception {
            int n = images.size();
            int pixels = side * side;
            float[] buf = new float[n * pixels];
            for (int i = 0; i < n; i++) {
                System.arraycopy(images.get(i), 0, buf, i * pixels, pixels);
            }
            try (NDManager step = manager.newSubManager()) {
                NDArray x = step.create(buf, new Shape(n, 1, side, side));
                float[] p = predictor.predict(new NDList(x)).singletonOrThrow().softmax(-1).toFloatArray();
                int classes = p.length / n;
                List<Float> out = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    out.add(p[i * classes + 1]);
                }
                return out;
            }
        }

        @Override
        public void close() {
            predictor.close();
            manager.close();
        }
    }
}
