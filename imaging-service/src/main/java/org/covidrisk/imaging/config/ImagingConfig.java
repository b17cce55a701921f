package org.covidrisk.imaging.config;

import java.nio.file.Path;
import java.time.Duration;
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

    /**
     * Requests allowed to wait for a predictor; beyond that the call is refused with RESOURCE_EXHAUSTED and a
     * retry delay (HTTP 503 with Retry-After at the gateway).
     */
    @WithDefault("32")
    int queueCapacity();

    /** Most images in one batched forward pass. */
    @WithDefault("16")
    int maxBatch();

    /**
     * Longest a free predictor waits for more requests once it holds one; under load batches fill without
     * waiting, so this only delays a request that arrives alone.
     */
    @WithDefault("3ms")
    Duration batchWait();

    /** Retry delay sent with a "queue full" refusal. */
    @WithDefault("1s")
    Duration busyRetryAfter();

    /** Deadline of fetching an image from ingest-service. */
    @WithDefault("10s")
    Duration ingestTimeout();

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

    /**
     * Where models trained through {@code TrainModel} are saved (one directory each: weights + provenance.json);
     * relative paths are against the working directory.
     */
    @WithDefault("imaging-models")
    Path modelStore();

    /** Survival training epochs of {@code TrainModel} when the request gives none. */
    @WithDefault("10")
    int trainEpochs();

    /** Fewest patients with a stored X-ray and a known outcome that {@code TrainModel} trains on. */
    @WithDefault("10")
    int minTrainPatients();

    /** Share of the patients (per outcome, at least one each) held out to measure a trained model. */
    @WithDefault("0.25")
    double holdoutFraction();
}
