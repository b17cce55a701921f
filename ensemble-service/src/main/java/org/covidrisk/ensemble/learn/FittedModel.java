package org.covidrisk.ensemble.learn;

import java.util.List;

/**
 * A trained model of any learner: predicts the probability of death for feature vectors in the order of
 * {@link #featureNames()}, and serializes itself into an artifact that {@link Learners#load} reads back.
 */
public interface FittedModel {

    /** Learner name in the registry (the key {@link Learners#load} dispatches on). */
    String learner();

    /** Feature order the model expects. */
    List<String> featureNames();

    /** Probability of death for each row. Implementations predict whole batches at once where that is faster. */
    double[] predict(List<double[]> rows);

    /** Probability of death for one row. */
    default double predict(double[] row) {
        return predict(List.of(row))[0];
    }

    /** The artifact: everything needed to predict again (feature order, scalers, weights). */
    byte[] serialize();

    /** Name and version of the serialized format, recorded in provenance. */
    String format();

    /** Checks a row's width against the feature order. */
    default void checkWidth(double[] row) {
        if (row.length != featureNames().size()) {
            throw new IllegalArgumentException("expected " + featureNames().size() + " features, got "
                    + row.length);
        }
    }
}
