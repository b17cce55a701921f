package org.covidrisk.imaging.service;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.covidrisk.imaging.config.ImagingConfig;
import org.covidrisk.imaging.model.ImageDecoder;
import org.covidrisk.imaging.model.InvalidImageException;
import org.covidrisk.imaging.model.XrayModel;
import org.jboss.logging.Logger;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import io.quarkus.runtime.Startup;

/**
 * The deployed X-ray model: loaded once at start-up (a model that does not load stops the start), scored on a
 * pool of predictor threads (a DJL predictor is not thread-safe, so each worker owns one) behind a bounded queue.
 */
@Startup
@ApplicationScoped
public class XrayScorer {

    private static final Logger LOG = Logger.getLogger(XrayScorer.class);

    /** A score and the model that gave it. */
    public record Score(double probability, String modelVersion) {
    }

    private final ImagingConfig config;
    private final List<Predictor<BufferedImage, Float>> predictors = new CopyOnWriteArrayList<>();
    private XrayModel model;
    private String version;
    private BoundedPool pool;
    private ImageDecoder decoder;
    private ThreadLocal<Predictor<BufferedImage, Float>> local;

    public XrayScorer(ImagingConfig config) {
        this.config = config;
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
        int workers = config.workers().orElse(Runtime.getRuntime().availableProcessors());
        pool = new BoundedPool(workers, config.queueCapacity(), "xray-predictor");
        local = ThreadLocal.withInitial(() -> {
            XrayModel.noGrad();
            Predictor<BufferedImage, Float> predictor = model.newPredictor();
            predictors.add(predictor);
            return predictor;
        });
        LOG.infof("X-ray model %s loaded; %d predictor threads, queue %d", version, workers,
                config.queueCapacity());
    }

    /** The deployed model's version, empty when none is deployed. */
    public Optional<String> modelVersion() {
        return Optional.ofNullable(version);
    }

    /**
     * Scores image bytes: fails with {@link InvalidImageException} (naming the problem) for a bad image and with
     * {@link BoundedPool.Busy} when the queue is full.
     */
    public CompletableFuture<Score> score(byte[] bytes) {
        if (model == null) {
            throw new IllegalStateException("no model deployed");
        }
        if (bytes.length > config.maxImageBytes()) {
            // refused before queueing: a large upload should not hold a queue slot
            return CompletableFuture.failedFuture(new InvalidImageException("image is " + bytes.length
                    + " bytes; at most " + config.maxImageBytes() + " are accepted"));
        }
        return pool.submit(() -> {
            try {
                BufferedImage image = decoder.decode(bytes);
                return new Score(local.get().predict(image), version);
            } catch (InvalidImageException e) {
                throw new java.util.concurrent.CompletionException(e);
            } catch (TranslateException e) {
                throw new IllegalStateException("X-ray model failed", e);
            }
        });
    }

    @PreDestroy
    void stop() {
        if (pool != null) {
            pool.close();
        }
        predictors.forEach(Predictor::close);
        if (model != null) {
            model.close();
        }
    }
}
