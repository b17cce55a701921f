package org.covidrisk.imaging.model;

/**
 * Hyper-parameters of one training run (Adam, softmax cross-entropy, class-balanced sampling).
 *
 * @param epochs passes over the (re-sampled) training images
 * @param batchSize images per step
 * @param learningRate Adam's step size
 * @param weightDecay L2 penalty
 * @param augment small rotation, shift, scale, brightness and contrast changes (never a vertical flip)
 * @param seed initial weights, sampling order and augmentation
 */
public record TrainOptions(int epochs, int batchSize, float learningRate, float weightDecay, boolean augment,
        long seed) {

    public TrainOptions {
        if (epochs < 1 || batchSize < 2) {
            throw new IllegalArgumentException("at least one epoch and a batch of two (batch norm)");
        }
    }

    /** Same options with another seed. */
    public TrainOptions withSeed(long s) {
        return new TrainOptions(epochs, batchSize, learningRate, weightDecay, augment, s);
    }
}
