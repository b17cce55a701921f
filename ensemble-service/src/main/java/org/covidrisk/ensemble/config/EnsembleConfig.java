package org.covidrisk.ensemble.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Typed configuration of ensemble-service (prefix {@code ensemble}). */
@ConfigMapping(prefix = "ensemble")
public interface EnsembleConfig {

    /** Share of the cohort held out (stratified) to measure a new model before it is refit on everything. */
    @WithDefault("0.2")
    double holdoutFraction();

    /** Seed of the hold-out split when the request gives none. */
    @WithDefault("42")
    long defaultSeed();

    /** Records sent to feature-service per call while training. */
    @WithDefault("2000")
    int featureBatchSize();

    /** Smallest cohort a model is trained on. */
    @WithDefault("30")
    int minTrainingRows();

    /** Cross-validation folds of a stack's out-of-fold base predictions. */
    @WithDefault("10")
    int stackingFolds();

    /**
     * Floor of the reliability profile's hit rate: a score whose confidence bin was right less often than this on
     * the model's hold-out patients is flagged "abstain / refer".
     */
    @WithDefault("0.65")
    double abstainBelowHitRate();

    /** Contributions listed in a score's explanation. */
    @WithDefault("5")
    int explanationSize();

    /** Most ROC points a report sends (evenly spaced along the curve, first and last kept). */
    @WithDefault("201")
    int reportRocPoints();

    /** Deadline of a downstream call made while scoring one patient. */
    @WithDefault("10s")
    Duration scoreCallTimeout();

    /** Deadline of the whole cohort stream and featurisation while training. */
    @WithDefault("30m")
    Duration trainCallTimeout();
}
