package org.covidrisk.ensemble.learn;

import java.util.Map;

/**
 * A learning algorithm with its options: fits a {@link FittedModel} on a feature matrix with outcomes.
 * Implementations are immutable and seeded, so the same data and options give the same model.
 */
public interface Learner {

    /** Learner name in the registry. */
    String name();

    /** Options as recorded in provenance (name → value, with the defaults filled in). */
    Map<String, Object> options();

    /** Trains on the data. */
    FittedModel fit(TrainingData data);
}
