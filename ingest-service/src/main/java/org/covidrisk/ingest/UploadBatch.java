package org.covidrisk.ingest;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One stored upload: the idempotency record of a client-supplied batch id. Written by the batch store. */
@Entity
@Table(name = "upload_batch")
public class UploadBatch extends PanacheEntityBase {

    @Id
    @Column(name = "batch_id", length = 128)
    public String batchId;

    /** SHA-256 of the uploaded bytes; the same id with other content is refused. */
    @Column(nullable = false, length = 64)
    public String sha256;

    @Column(name = "file_name", length = 255)
    public String fileName;

    @Column(nullable = false, length = 16)
    public String layout;

    @Column(name = "rows_read", nullable = false)
    public long rowsRead;

    @Column(name = "rows_stored", nullable = false)
    public long rowsStored;

    @Column(nullable = false)
    public long deaths;

    /** Comma-separated hospital keys of the batch. */
    @Column(nullable = false, length = 4000)
    public String hospitals;

    @Column(name = "uploaded_by", nullable = false, length = 128)
    public String uploadedBy;

    @Column(name = "uploaded_at", nullable = false)
    public Instant uploadedAt;

    /** Rows skipped into {@code upload_quarantine} (quarantine mode only). */
    @Column(name = "rows_quarantined", nullable = false)
    public long rowsQuarantined;

    /** Whether the batch was uploaded in quarantine mode. */
    @Column(name = "quarantine_mode", nullable = false)
    public boolean quarantineMode;
}
