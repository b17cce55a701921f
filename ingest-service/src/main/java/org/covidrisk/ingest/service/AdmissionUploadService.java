package org.covidrisk.ingest.service;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.HexFormat;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.covidrisk.ingest.admission.AdmissionCsvReader;
import org.covidrisk.ingest.admission.AdmissionReader;
import org.covidrisk.ingest.admission.FhirBundleReader;
import org.covidrisk.ingest.admission.TongjiReader;
import org.covidrisk.ingest.config.IngestConfig;
import org.covidrisk.ingest.dge.RowViolation;
import org.covidrisk.ingest.v1.AdmissionFormat;
import org.covidrisk.ingest.v1.UploadReport;
import org.covidrisk.platform.security.Caller;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.narayana.jta.QuarkusTransactionException;

/**
 * Stores one uploaded admission file (admission CSV, Tongji export, FHIR Bundles) as one batch in one transaction,
 * with the batch rules of the DGE upload (see {@link UploadService}): idempotent replay, other content under a
 * known id refused, all-or-nothing or quarantine mode, tenancy per record.
 */
@ApplicationScoped
public class AdmissionUploadService {

    private static final Logger LOG = Logger.getLogger(AdmissionUploadService.class);

    /**
     * A checked upload header.
     *
     * @param hospital the hospital of every record (Tongji), else null
     * @param source what the patient ids are unique within
     */
    public record Upload(String batchId, String fileName, AdmissionFormat format, String hospital, String source,
            boolean quarantine) {
    }

    @Inject
    IngestConfig config;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    UploadService uploads;

    /** The default source of a format (what its patient ids are unique within). */
    public static String defaultSource(AdmissionFormat format) {
        return switch (format) {
            case ADMISSION_FORMAT_TONGJI -> TongjiReader.SOURCE;
            case ADMISSION_FORMAT_FHIR_BUNDLE -> FhirBundleReader.SOURCE;
            default -> AdmissionCsvReader.FORMAT;
        };
    }

    /**
     * Validates and stores the file.
     *
     * @param sha256 the digest of the upload (header fields and bytes)
     * @param tracker the upload's progress entry, told the records read
     */
    public UploadReport store(Caller caller, Upload upload, Path file, byte[] sha256, UploadProgress.Entry tracker) {
        String hash = HexFormat.of().formatHex(sha256);
        String batchId = upload.batchId();
        try {
            UploadReport replay = uploads.replayOrConflict(batchId, hash);
            if (replay != null) {
                return replay;
            }
            AdmissionStore.Request request = new AdmissionStore.Request(batchId, hash, upload.fileName(),
                    caller.username(), caller::belongsTo, upload.quarantine());
            BatchStore.Stored stored = inTransaction(request, file, reader(upload), tracker);
            LOG.infof("admission batch %s stored: %d records, %d quarantined, format %s, %d hospital(s), by %s",
                    batchId, stored.rowsStored(), stored.rowsQuarantined(), stored.layout(), stored.hospitals()
                            .size(),
                    caller.username());
            return UploadService.report(stored, false);
        } catch (BatchStore.BatchIdTakenException e) {
            UploadReport replay = uploads.replayOrConflict(batchId, hash);
            if (replay != null) {
                return replay;
            }
            throw new UploadRefusedException(UploadRefusedException.Kind.CONFLICT, "batch id " + batchId
                    + " is being uploaded by another request; retry later",
                    List.of(new RowViolation(0, "batchId", "in use by a concurrent upload")));
        }
    }

    private AdmissionReader reader(Upload u) {
        long max = config.maxRowsPerBatch();
        return switch (u.format()) {
            case ADMISSION_FORMAT_ADMISSION_CSV -> new AdmissionCsvReader(u.source(), max);
            case ADMISSION_FORMAT_TONGJI -> new TongjiReader(u.source(), u.hospital(), config.admissionLabWindow(),
                    max);
            case ADMISSION_FORMAT_FHIR_BUNDLE -> new FhirBundleReader(u.source(), config.admissionLabWindow(), max);
            default -> throw new IllegalArgumentException("format checked by the receiver");
        };
    }

    private BatchStore.Stored inTransaction(AdmissionStore.Request request, Path file, AdmissionReader reader,
            UploadProgress.Entry tracker) throws BatchStore.BatchIdTakenException {
        AdmissionStore store = new AdmissionStore(config.maxViolationsReported(), config.writeChunkSize());
        try {
            return QuarkusTransaction.requiringNew().timeout((int) config.transactionTimeout().toSeconds()).call(
                    () -> {
                        try (Connection c = dataSource.getConnection()) {
                            return store.store(c, request, file, reader, tracker::rowsRead);
                        }
                    });
        } catch (QuarkusTransactionException e) {
            // Checked exceptions of the work arrive wrapped; the transaction has been rolled back.
            Throwable cause = e.getCause();
            if (cause instanceof BatchStore.BatchIdTakenException t) {
                throw t;
            }
            if (cause instanceof UploadRefusedException r) {
                throw r;
            }
            throw UploadService.unavailable(request.batchId(), e);
        } catch (UploadRefusedException e) {
            throw e;
        } catch (RuntimeException e) {
            if (UploadService.hasSqlCause(e)) {
                throw UploadService.unavailable(request.batchId(), e);
            }
            throw e;
        }
    }
}
