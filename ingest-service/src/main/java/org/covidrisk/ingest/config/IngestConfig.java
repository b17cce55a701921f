package org.covidrisk.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Typed configuration of ingest-service (prefix {@code ingest}). */
@ConfigMapping(prefix = "ingest")
public interface IngestConfig {

    /** Largest upload accepted, in bytes; larger uploads are refused before parsing. */
    @WithDefault("2147483648")
    long maxUploadBytes();

    /** Largest number of data rows in one batch. */
    @WithDefault("5000000")
    long maxRowsPerBatch();

    /** How many row problems a refusal lists at most. */
    @WithDefault("50")
    int maxViolationsReported();

    /** Rows written per flush when storing a batch. */
    @WithDefault("1000")
    int writeChunkSize();

    /** Records per page when streaming the cohort. */
    @WithDefault("2000")
    int cohortPageSize();
}
