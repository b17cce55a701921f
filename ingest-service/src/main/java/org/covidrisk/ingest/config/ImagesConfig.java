package org.covidrisk.ingest.config;

import java.nio.file.Path;

import io.smallrye.config.WithDefault;

/** The content-addressed chest X-ray store of ingest-service ({@code ingest.images.*}). */
public interface ImagesConfig {

    /**
     * Directory of the stored images: one file per image named by the hex SHA-256 of its bytes, and a {@code tmp}
     * subdirectory for uploads in flight (same file system, so the final move is atomic).
     */
    @WithDefault("./.covid-risk/data/images")
    Path dir();

    /** Largest accepted image file in bytes (20 MiB: a 4,000 × 5,000 16-bit PNG radiograph compresses below it). */
    @WithDefault("20971520")
    long maxBytes();

    /**
     * Largest accepted image in pixels (width × height), checked from the header before any pixel is decoded, so
     * a small file declaring a huge image cannot exhaust the heap.
     */
    @WithDefault("40000000")
    long maxPixels();

    /** Bytes per message when an image is streamed back ({@code GetImage}). */
    @WithDefault("262144")
    int chunkBytes();
}
