package org.covidrisk.feature.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Typed configuration of feature-service (prefix {@code feature}). */
@ConfigMapping(prefix = "feature")
public interface FeatureConfig {

    /** Population meta-features. */
    Population population();

    /** MICE imputation (FitImputer, Impute). */
    Imputation imputation();

    interface Imputation {
        /** Largest training matrix accepted by FitImputer. */
        @WithDefault("300000")
        int maxRows();

        /** Donors of predictive mean matching kept per variable and chain in a fitted imputer. */
        @WithDefault("2000")
        int maxStoredDonors();

        /** Chained passes over a new patient's missing inputs when a fitted imputer is applied. */
        @WithDefault("5")
        int scoringIterations();
    }

    interface Population {
        /** Largest population searched exactly; larger ones use the HNSW index. */
        @WithDefault("60000")
        int exactMaxRows();

        /** Threads of one search (0: the available processors). */
        @WithDefault("0")
        int threads();

        /** Largest population accepted in one call. */
        @WithDefault("2000000")
        int maxRows();
    }
}
