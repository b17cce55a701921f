package org.covidrisk.imaging.config;

import java.nio.file.Path;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Configuration of imaging-service ({@code imaging.*}; not {@code covid.imaging.*}, which the launcher uses for the
 * service's address in every process).
 */
@ConfigMapping(prefix = "imaging")
public interface ImagingConfig {

    /**
     * Directory of the deployed X-ray model (weights + provenance.json, as written by
     * {@code covid-risk imaging-validate --model-out}); loaded once at start. Absent: no model is deployed and
     * every request is answered without a score, with the reason.
     */
    Optional<Path> modelDir();

    /** Predictor threads (one DJL predictor each); absent means one per available core. */
    Optional<Integer> workers();

    /** Requests allowed to wait for a predictor; beyond that the call is refused with RESOURCE_EXHAUSTED. */
    @WithDefault("32")
    int queueCapacity();

    /** Largest accepted image file in bytes. */
    @WithDefault("20971520")
    int maxImageBytes();

    /** Largest accepted image width or height in pixels. */
    @WithDefault("8192")
    int maxImageSide();

    /**
     * PyTorch intra-op threads per forward pass; 1 because the pool already runs one pass per core and nested
     * OpenMP threads would compete for the same cores.
     */
    @WithDefault("1")
    int intraOpThreads();
}
