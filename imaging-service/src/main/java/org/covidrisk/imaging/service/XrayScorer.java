package org.covidrisk.imaging.service;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.covidrisk.imaging.config.ImagingConfig;
import org.covidrisk.imaging.model.ImageDecoder;
import org.covidrisk.imaging.model.InvalidImageException;
import org.covidrisk.imaging.model.Provenance;
import org.covidrisk.imaging.model.XrayModel;
import org.covidrisk.imaging.model.XrayTranslator;
import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;

/**
 * The deployed X-ray model: loaded once at start-up (a model that does not load stops the start) and served by a
 * {@link MicroBatcher}: {@code workers} threads, each with its own predictor, run one batched forward pass for the
 * requests that arrived together, behind a bounded queue. Images are decoded and normalised on the caller's
 * thread, so a worker only runs forward passes.
 */
@Startup
@ApplicationScoped
public class XrayScorer {

    private static final Logger LOG = Logger.getLogger(XrayScorer.class);

    /** A score and the model that gave it. */
    public record Score(double probability, String modelVersion) {
    }

    /** The deployed model: its version, where it comes from, and how it is served. */
    public record Deployed(String version, Provenance provenance, int workers, int maxBatch, int queueCapacity) {
    }

    private final ImagingConfig config;
    private final ForwardPasses passes;
    private XrayModel model;
    private String version;
    private MicroBatcher<float[], Float> batcher;
    private int workers;
    private ImageDecoder decoder;

    public XrayScorer(ImagingConfig config, ForwardPasses passes) {
        this.config = config;
        this.passes = passes;
    }

    @PostConstruct
    void start() throws IOException {
        decoder = new ImageDecoder(config.maxImageBytes(), config.maxImageSide());
        if (config.modelDir().isEmpty()) {
            LOG.info("no X-ray model configured (imaging.model-dir): scores are answered without an image");
            return;
        }
        // Read by DJL when the engine starts, i.e. on the first model load below.
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(config.intraOpThreads()));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        try (XrayModel trained = XrayModel.load(config.modelDir().get())) {
            model = trained.foldedForInference();
        }
        var p = model.provenance();
        version = p.architecture() + "@" + p.createdAt() + "#" + p.dataSha256().substring(0, 12);
        workers = config.workers().orElse(Runtime.getRuntime().availableProcessors());
        batcher = new MicroBatcher<>("xray-predictor", workers, config.queueCapacity(), config.maxBatch(),
                config.batchWait(), () -> passes.create(model));
        LOG.infof("X-ray model %s loaded; %d predictor threads, batches of up to %d within %d ms, queue %d", version,
                workers, config.maxBatch(), config.batchWait().toMillis(), config.queueCapacity());
    }

    /** The deployed model's version, empty when none is deployed. */
    public Optional<String> modelVersion() {
        return Optional.ofNullable(version);
    }

    /** The deployed model, empty when none is deployed. */
    public Optional<Deployed> deployed() {
        if (model == null) {
            return Optional.empty();
        }
        return Optional.of(new Deployed(version, model.provenance(), workers, config.maxBatch(),
                config.queueCapacity()));
    }

    /** True when the queue is full, so a request can be refused before its image is fetched and decoded. */
    public boolean busy() {
        return batcher != null && batcher.full();
    }

    /** Decodes and normalises image bytes to the network's input, or names what is wrong with them. */
    public float[] prepare(byte[] bytes) throws InvalidImageException {
        return XrayTranslator.pixels(decoder.decode(bytes), model.options().inputSize());
    }

    /**
     * Scores prepared pixels in the next batch; fails at once with {@link MicroBatcher.Busy} when the queue is
     * full.
     */
    public CompletableFuture<Score> score(float[] pixels) {
        if (model == null) {
            throw new IllegalStateException("no model deployed");
        }
        return batcher.submit(pixels).thenApply(p -> new Score(p, version));
    }

    /** Forward passes run so far (each answers one batch). */
    public long forwardPasses() {
        return batcher == null ? 0 : batcher.batches();
    }

    /** Images scored so far. */
    public long imagesScored() {
        return batcher == null ? 0 : batcher.items();
    }

    /** Requests waiting for a worker. */
    public int waiting() {
        return batcher == null ? 0 : batcher.waiting();
    }

    @PreDestroy
    void stop() {
        if (batcher != null) {
            batcher.close();
        }
        if (model != null) {
            model.close();
        }
    }
}
