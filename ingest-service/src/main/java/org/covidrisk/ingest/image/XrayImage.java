package org.covidrisk.ingest.image;

import java.time.Instant;
import java.time.LocalDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One stored chest X-ray: the metadata row of a file in the content-addressed image directory. */
@Entity
@Table(name = "xray_image")
public class XrayImage extends PanacheEntityBase {

    /** Hex SHA-256 of the bytes: the key, and the file name in the image directory. */
    @Id
    @Column(length = 64)
    public String sha256;

    @Column(name = "patient_key", nullable = false, length = 64)
    public String patientKey;

    @Column(nullable = false, length = 32)
    public String hospital;

    @Column(name = "media_type", nullable = false, length = 16)
    public String mediaType;

    @Column(name = "size_bytes", nullable = false)
    public long sizeBytes;

    @Column(nullable = false)
    public int width;

    @Column(nullable = false)
    public int height;

    @Column(name = "bit_depth", nullable = false)
    public int bitDepth;

    /** Projection (PA, AP, AP Supine, L, ...); null when not given. */
    @Column(name = "view_name", length = 32)
    public String view;

    /** Study time as sent (ISO-8601 date or date-time); null when unknown. */
    @Column(name = "study_time", length = 40)
    public String studyTime;

    /** {@link #studyTime} as a local date-time, for ordering. */
    @Column(name = "study_at")
    public LocalDateTime studyAt;

    @Column(name = "file_name", length = 255)
    public String fileName;

    @Column(name = "uploaded_by", nullable = false, length = 128)
    public String uploadedBy;

    @Column(name = "stored_at", nullable = false)
    public Instant storedAt;
}
