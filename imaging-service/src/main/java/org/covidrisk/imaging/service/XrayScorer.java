package org.covidrisk.imaging.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
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
 * thread, so a worker only runs forward passes. {@link #deploy} replaces the model without a restart: the new one
 * serves from the moment it is loaded, the old one answers what it already holds, then closes.
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

    /** One deployed model: the serving form, its version, its batcher, the directory it was loaded from. */
    private record Deployment(XrayModel model, String version, MicroBatcher<float[], Float> batcher, Path dir) {
    }

    private final ImagingConfig config;
    private final ForwardPasses passes;
    private volatile Deployment current;
    private int workers;
    private ImageDecoder decoder;

    public XrayScorer(ImagingConfig config, ForwardPasses passes) {
        this.config = config;
        this.passes = passes;
    }

    @PostConstruct
    void start() throws IOException {
        decoder = new ImageDecoder(config.maxImageBytes(), config.maxImageSide());
        workers = config.workers().orElse(Runtime.getRuntime().availableProcessors());
        // Read by DJL when the engine starts, i.e. on the first model load (here or by a training).
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(config.intraOpThreads()));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        Optional<Path> deployedLater = lastDeployed();
        if (deployedLater.isPresent()) {
            // a model admin deployed a trained model since: it serves again after a restart
            current = open(deployedLater.get());
            return;
        }
        if (config.modelDir().isEmpty()) {
            LOG.info("no X-ray model configured (imaging.model-dir): scores are answered without an image");
            return;
        }
        current = open(config.modelDir().get());
    }

    /** The file in the model store naming the directory of the last model deployed through {@link #deploy}. */
    Path deployedPointer() {
        return config.modelStore().resolve("DEPLOYED");
    }

    private Optional<Path> lastDeployed() throws IOException {
        Path pointer = deployedPointer();
        if (!Files.isRegularFile(pointer)) {
            return Optional.empty();
        }
        Path dir = Path.of(Files.readString(pointer, StandardCharsets.UTF_8).strip());
        if (!Files.isRegularFile(dir.resolve("provenance.json"))) {
            LOG.warnf("%s names no saved model; starting with imaging.model-dir", pointer);
            return Optional.empty();
        }
        return Optional.of(dir);
    }

    private Deployment open(Path dir) throws IOException {
        XrayModel model;
        try (XrayModel trained = XrayModel.load(dir)) {
            model = trained.foldedForInference();
        }
        var p = model.provenance();
        String version = version(p);
        MicroBatcher<float[], Float> batcher = new MicroBatcher<>("xray-predictor", workers, config.queueCapacity(),
                config.maxBatch(), config.batchWait(), () -> passes.create(model));
        LOG.infof("X-ray model %s loaded; %d predictor threads, batches of up to %d within %d ms, queue %d", version,
                workers, config.maxBatch(), config.batchWait().toMillis(), config.queueCapacity());
        return new Deployment(model, version, batcher, dir);
    }

    /** The version scores carry: architecture, end of training, start of the training data's hash. */
    public static String version(Provenance p) {
        return p.architecture() + "@" + p.createdAt() + "#" + p.dataSha256().substring(0, 12);
    }

    /**
     * Serves the model saved in {@code dir} from now on (it must load, else the current one stays) and after a
     * restart too ({@code DEPLOYED} in the model store names it); the previous one answers the requests it already
     * holds (for at most 30 s) and is closed. One deployment at a time.
     */
    public synchronized Deployed deploy(Path dir) throws IOException {
        Deployment next = open(dir);
        // recorded before it serves, so a restart brings back what served last
        Path pointer = deployedPointer();
        Files.createDirectories(pointer.getParent());
        Path tmp = pointer.resolveSibling("DEPLOYED.tmp");
        Files.writeString(tmp, dir.toAbsolutePath().toString(), StandardCharsets.UTF_8);
        Files.move(tmp, pointer, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Deployment old = current;
        current = next;
        if (old != null) {
            old.batcher().drain(Duration.ofSeconds(30));
            old.model().close();
            LOG.infof("X-ray model %s replaced by %s", old.version(), next.version());
        }
        return deployed().orElseThrow();
    }

    /** The deployed model's version, empty when none is deployed. */
    public Optional<String> modelVersion() {
        Deployment d = current;
        return d == null ? Optional.empty() : Optional.of(d.version());
    }

    /** The directory the deployed model was loaded from (its trainable weights), empty when none is deployed. */
    public Optional<Path> modelDir() {
        Deployment d = current;
        return d == null ? Optional.empty() : Optional.of(d.dir());
    }

    /** The deployed model, empty when none is deployed. */
    public Optional<Deployed> deployed() {
        Deployment d = current;
        if (d == null) {
            return Optional.empty();
        }
        return Optional.of(new Deployed(d.version(), d.model().provenance(), workers, config.maxBatch(),
                config.queueCapacity()));
    }

    /** True when the queue is full, so a request can be refused before its image is fetched and decoded. */
    public boolean busy() {
        Deployment d = current;
        return d != null && d.batcher().full();
    }

    /** Decodes and normalises image bytes to the deployed network's input, or names what is wrong with them. */
    public float[] prepare(byte[] bytes) throws InvalidImageException {
        Deployment d = current;
        if (d == null) {
            throw new IllegalStateException("no model deployed");
        }
        return prepare(bytes, d.model().options().inputSize());
    }

    /** Decodes and normalises image bytes to a {@code size}×{@code size} input, or names what is wrong. */
    public float[] prepare(byte[] bytes, int size) throws InvalidImageException {
        return XrayTranslator.pixels(decoder.decode(bytes), size);
    }

    /**
     * Scores prepared pixels in the next batch; fails at once with {@link MicroBatcher.Busy} when the queue is
     * full. A request that meets a model being replaced goes to its successor.
     */
    public CompletableFuture<Score> score(float[] pixels) {
        Deployment d = current;
        if (d == null) {
            throw new IllegalStateException("no model deployed");
        }
        try {
            return submit(d, pixels);
        } catch (MicroBatcher.Stopped e) {
            Deployment now = current;
            if (now == null || now == d || now.model().options().inputSize() != d.model().options().inputSize()) {
                throw e;
            }
            return submit(now, pixels);
        }
    }

    private static CompletableFuture<Score> submit(Deployment d, float[] pixels) {
        return d.batcher().submit(pixels).thenApply(p -> new Score(p, d.version()));
    }

    /** Forward passes run so far by the deployed model (each answers one batch). */
    public long forwardPasses() {
        Deployment d = current;
        return d == null ? 0 : d.batcher().batches();
    }

    /** Images scored so far by the deployed model. */
    public long imagesScored() {
        Deployment d = current;
        return d == null ? 0 : d.batcher().items();
    }

    /** Requests waiting for a worker. */
    public int waiting() {
        Deployment d = current;
        return d == null ? 0 : d.batcher().waiting();
    }

    @PreDestroy
    void stop() {
        Deployment d = current;
        if (d != null) {
            d.batcher().close();
            d.model().close();
        }
    }
}
