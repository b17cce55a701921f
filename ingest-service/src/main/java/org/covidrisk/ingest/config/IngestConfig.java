package org.covidrisk.ingest.config;

import java.time.Duration;

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

    /** Rows per write when storing a batch: one COPY buffer flush (PostgreSQL) or one JDBC batch (H2). */
    @WithDefault("2000")
    int writeChunkSize();

    /** Longest a batch's one transaction may run; a 1 GB file takes minutes. */
    @WithDefault("1H")
    Duration transactionTimeout();

    /** Finished uploads (stored or refused) whose status stays queryable from memory. */
    @WithDefault("1000")
    int recentUploadsKept();

    /** Records per page when streaming the cohort. */
    @WithDefault("2000")
    int cohortPageSize();

    /**
     * How long after admission a laboratory draw or observation still counts as the presentation value (Tongji
     * and FHIR imports take the first value of each analyte within this window; later ones are the course of the
     * stay).
     */
    @WithDefault("48H")
    Duration admissionLabWindow();

    /** Largest number of outcome updates in one RecordOutcomes batch. */
    @WithDefault("10000")
    int maxOutcomesPerBatch();

    /** Records per page when streaming admissions or outcome events. */
    @WithDefault("1000")
    int admissionPageSize();

    /** The chest X-ray store ({@code ingest.images.*}). */
    ImagesConfig images();
}
