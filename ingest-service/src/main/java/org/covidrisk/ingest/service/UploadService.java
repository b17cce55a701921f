package org.covidrisk.ingest.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.covidrisk.ingest.UploadBatch;
import org.covidrisk.ingest.config.IngestConfig;
import org.covidrisk.ingest.dge.RowViolation;
import org.covidrisk.ingest.v1.RowProblem;
import org.covidrisk.ingest.v1.UploadReport;
import org.covidrisk.ingest.v1.UploadState;
import org.covidrisk.ingest.v1.UploadStatus;
import org.covidrisk.platform.security.Caller;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.narayana.jta.QuarkusTransactionException;

/**
 * Stores one uploaded DGE file as one batch in one transaction: all rows or none (or, in quarantine mode, the
 * valid rows and a record of the invalid ones). The batch id makes re-sending idempotent; rows are only written
 * for hospitals the caller's token grants. Rows stream from the spooled file to the database in chunks (see
 * {@link BatchStore}), so the heap does not grow with the file.
 */
@ApplicationScoped
public class UploadService {

    private static final Logger LOG = Logger.getLogger(UploadService.class);

    @Inject
    IngestConfig config;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    UploadProgress progress;

    /**
     * Validates and stores the file.
     *
     * @param file the uploaded bytes, already on disk
     * @param sha256 their SHA-256
     * @param quarantine skip and record invalid rows instead of refusing the batch
     * @param tracker the upload's progress entry, told the rows read
     */
    public UploadReport store(Caller caller, String batchId, String fileName, Path file, byte[] sha256,
            boolean quarantine, UploadProgress.Entry tracker) {
        String hash = HexFormat.of().formatHex(sha256);
        try {
            UploadReport replay = replayOrConflict(batchId, hash);
            if (replay != null) {
                return replay;
            }
            BatchStore.Request request = new BatchStore.Request(batchId, hash, fileName, caller.username(),
                    caller::belongsTo, quarantine);
            BatchStore.Stored stored;
            try {
                stored = inTransaction(request, file, false, tracker);
            } catch (BatchStore.KnownPatientsException e) {
                // Known or repeated patient ids: the fast pass was rolled back; merge instead.
                progress.storing(tracker);
                stored = inTransaction(request, file, true, tracker);
            }
            LOG.infof("batch %s stored: %d rows, %d quarantined, layout %s, %d hospital(s), by %s", batchId,
                    stored.rowsStored(), stored.rowsQuarantined(), stored.layout(), stored.hospitals().size(),
                    caller.username());
            return report(stored, false);
        } catch (BatchStore.BatchIdTakenException e) {
            // A concurrent upload of the same id committed first: answer as if this were the retry.
            UploadReport replay = replayOrConflict(batchId, hash);
            if (replay != null) {
                return replay;
            }
            throw new UploadRefusedException(UploadRefusedException.Kind.CONFLICT, "batch id " + batchId
                    + " is being uploaded by another request; retry later",
                    List.of(new RowViolation(0, "batchId",
                            "in use by a concurrent upload")));
        } catch (BatchStore.KnownPatientsException e) {
            throw unavailable(batchId, e);
        }
    }

    private BatchStore.Stored inTransaction(BatchStore.Request request, Path file, boolean merge,
            UploadProgress.Entry tracker) throws BatchStore.KnownPatientsException,
            BatchStore.BatchIdTakenException {
        BatchStore store = new BatchStore(config.maxViolationsReported(), config.maxRowsPerBatch(),
                config.writeChunkSize());
        try {
            return QuarkusTransaction.requiringNew().timeout((int) config.transactionTimeout().toSeconds()).call(
                    () -> {
                        try (Connection c = dataSource.getConnection()) {
                            return store.store(c, request, file, merge, tracker::rowsRead);
                        }
                    });
        } catch (QuarkusTransactionException e) {
            // Checked exceptions of the work arrive wrapped; the transaction has been rolled back.
            Throwable cause = e.getCause();
            if (cause instanceof BatchStore.KnownPatientsException k) {
                throw k;
            }
            if (cause instanceof BatchStore.BatchIdTakenException t) {
                throw t;
            }
            if (cause instanceof UploadRefusedException r) {
                throw r;
            }
            throw unavailable(request.batchId(), e);
        } catch (UploadRefusedException e) {
            throw e;
        } catch (RuntimeException e) {
            if (hasSqlCause(e)) {
                throw unavailable(request.batchId(), e);
            }
            throw e;
        }
    }

    static boolean hasSqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException) {
                return true;
            }
        }
        return false;
    }

    static UploadRefusedException unavailable(String batchId, Exception e) {
        // Server-side fault: logged without content; the client may retry with the same batch id.
        LOG.errorf("batch %s could not be stored: %s", batchId, rootMessage(e));
        return new UploadRefusedException(UploadRefusedException.Kind.UNAVAILABLE, "the batch could not be stored "
                + "now; nothing was stored, retry with the same batch id",
                List.of(new RowViolation(0, "", "the "
                        + "database is unavailable")));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName();
    }

    /** The stored report when this batch id was stored with these bytes (a replay); null when the id is new. */
    UploadReport replayOrConflict(String batchId, String hash) {
        UploadBatch existing;
        try {
            existing = QuarkusTransaction.requiringNew().call(() -> UploadBatch.findById(batchId));
        } catch (RuntimeException e) {
            throw unavailable(batchId, e);
        }
        if (existing == null) {
            return null;
        }
        if (!existing.sha256.equals(hash)) {
            throw new UploadRefusedException(UploadRefusedException.Kind.CONFLICT, "batch id " + batchId
                    + " was already stored with different content; use a new batch id",
                    List.of(new RowViolation(0, "batchId", "already used for other content")));
        }
        return report(existing, quarantineSample(batchId), true);
    }

    /** Where the caller's upload of this batch id stands: running or refused here, or stored. */
    public Optional<UploadStatus> status(Caller caller, String batchId) {
        Optional<UploadProgress.Entry> running = progress.find(batchId, caller.username());
        if (running.isPresent()) {
            UploadProgress.Entry e = running.get();
            UploadStatus.Builder s = UploadStatus.newBuilder().setBatchId(batchId).setState(e.state())
                    .setBytesReceived(e.bytes()).setRowsRead(e.rows()).setMessage(e.message());
            if (e.report() != null) {
                s.setReport(e.report());
            }
            return Optional.of(s.build());
        }
        UploadBatch stored = QuarkusTransaction.requiringNew().call(() -> UploadBatch.findById(batchId));
        if (stored == null || !stored.uploadedBy.equals(caller.username())) {
            return Optional.empty();
        }
        return Optional.of(UploadStatus.newBuilder().setBatchId(batchId).setState(UploadState.UPLOAD_STATE_STORED)
                .setRowsRead(stored.rowsRead).setReport(report(stored, quarantineSample(batchId), false)).build());
    }

    private List<RowProblem> quarantineSample(String batchId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection();
                    var ps = c.prepareStatement("SELECT line, column_name, "
                            + "reason FROM upload_quarantine WHERE batch_id = ? ORDER BY line, column_name")) {
                ps.setString(1, batchId);
                ps.setMaxRows(config.maxViolationsReported());
                try (var rs = ps.executeQuery()) {
                    List<RowProblem> sample = new java.util.ArrayList<>();
                    while (rs.next()) {
                        sample.add(RowProblem.newBuilder().setLine(rs.getLong(1)).setColumn(rs.getString(2))
                                .setReason(rs.getString(3)).build());
                    }
                    return sample;
                }
            }
        });
    }

    static UploadReport report(BatchStore.Stored s, boolean replayed) {
        return UploadReport.newBuilder().setBatchId(s.batchId()).setLayout(s.layout()).setRowsRead(s.rowsRead())
                .setRowsStored(s.rowsStored()).setDeaths(s.deaths()).setReplayed(replayed).setSha256(s.sha256())
                .addAllHospitals(s.hospitals()).setRowsQuarantined(s.rowsQuarantined()).addAllQuarantined(s
                        .quarantineSample().stream().map(UploadService::problem).toList())
                .build();
    }

    private static UploadReport report(UploadBatch b, List<RowProblem> sample, boolean replayed) {
        UploadReport.Builder r = UploadReport.newBuilder().setBatchId(b.batchId).setLayout(b.layout)
                .setRowsRead(b.rowsRead).setRowsStored(b.rowsStored).setDeaths(b.deaths).setReplayed(replayed)
                .setSha256(b.sha256).setRowsQuarantined(b.rowsQuarantined).addAllQuarantined(sample);
        if (!b.hospitals.isEmpty()) {
            r.addAllHospitals(List.of(b.hospitals.split(",")));
        }
        return r.build();
    }

    private static RowProblem problem(RowViolation v) {
        return RowProblem.newBuilder().setLine(v.line()).setColumn(v.column()).setReason(v.reason()).build();
    }

    /** Deletes a temporary upload file, logging (without content) when that fails. */
    public static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("could not delete temporary upload %s", file.getFileName());
        }
    }
}
