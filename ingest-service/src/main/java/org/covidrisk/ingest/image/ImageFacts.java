package org.covidrisk.ingest.image;

/**
 * What an accepted image is, read from its bytes.
 *
 * @param mediaType {@code image/png} or {@code image/jpeg}
 * @param width pixels
 * @param height pixels
 * @param bitDepth bits per stored sample (8 or 16)
 */
public record ImageFacts(String mediaType, int width, int height, int bitDepth) {
}
