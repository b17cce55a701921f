package org.covidrisk.ingest.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.covidrisk.ingest.Patient;
import org.covidrisk.ingest.UploadBatch;
import org.covidrisk.ingest.config.IngestConfig;
import org.covidrisk.ingest.dge.DgeCsvReader;
import org.covidrisk.ingest.dge.DgeFileException;
import org.covidrisk.ingest.dge.RowViolation;
import org.covidrisk.ingest.v1.UploadReport;
import org.covidrisk.platform.security.Caller;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Stores one uploaded DGE file as one batch: all rows or none. The batch id makes re-sending idempotent; rows
 * are only written for hospitals the caller's token grants.
 */
@ApplicationScoped
public class UploadService {

    private static final Logger LOG = Logger.getLogger(UploadService.class);

    @Inject
    IngestConfig config;

    @Inject
    EntityManager em;

    /**
     * Validates and stores the file.
     *
     * @param file the uploaded bytes, already on disk
     * @param sha256 their SHA-256
     */
    public UploadReport store(Caller caller, String batchId, String fileName, Path file, byte[] sha256) {
        String hash = HexFormat.of().formatHex(sha256);
        UploadReport replay = replayOrConflict(batchId, hash);
        if (replay != null) {
            return replay;
        }
        DgeCsvReader.Result result;
        try {
            result = new DgeCsvReader(config.maxViolationsReported(), config.maxRowsPerBatch()).read(file, batchId);
        } catch (DgeFileException e) {
            throw new UploadRefusedException(UploadRefusedException.Kind.INVALID, "the file was refused: "
                    + e.getMessage(), e.violations());
        }
        checkTenancy(caller, result.patients());
        TreeSet<String> hospitals = new TreeSet<>();
        long deaths = 0;
        for (Patient p : result.patients()) {
            hospitals.add(p.hospital);
            deaths += p.died ? 1 : 0;
        }
        UploadBatch batch = new UploadBatch();
        batch.batchId = batchId;
        batch.sha256 = hash;
        batch.fileName = fileName == null ? null : fileName.substring(0, Math.min(255, fileName.length()));
        batch.layout = result.layout().name();
        batch.rowsRead = result.rowsRead();
        batch.rowsStored = result.patients().size();
        batch.deaths = deaths;
        batch.hospitals = String.join(",", hospitals);
        batch.uploadedBy = caller.username();
        batch.uploadedAt = Instant.now();
        QuarkusTransaction.requiringNew().run(() -> write(batch, result.patients()));
        LOG.infof("batch %s stored: %d rows, layout %s, %d hospital(s), by %s", batchId, batch.rowsStored,
                batch.layout, hospitals.size(), caller.username());
        return report(batch, false);
    }

    private UploadReport replayOrConflict(String batchId, String hash) {
        UploadBatch existing = QuarkusTransaction.requiringNew().call(() -> UploadBatch.findById(batchId));
        if (existing == null) {
            return null;
        }
        if (!existing.sha256.equals(hash)) {
            throw new UploadRefusedException(UploadRefusedException.Kind.CONFLICT, "batch id " + batchId
                    + " was already stored with different content; use a new batch id",
                    List.of(new RowViolation(0, "batchId", "already used for other content")));
        }
        return report(existing, true);
    }

    private void checkTenancy(Caller caller, List<Patient> patients) {
        List<RowViolation> forbidden = new ArrayList<>();
        long line = 1;
        for (Patient p : patients) {
            line++;
            if (!caller.belongsTo(p.hospital)) {
                forbidden.add(new RowViolation(line, "ENTIDAD_UM/SECTOR", "hospital " + p.hospital
                        + " is not one your account may write to"));
                if (forbidden.size() >= config.maxViolationsReported()) {
                    break;
                }
            }
        }
        if (!forbidden.isEmpty()) {
            throw new UploadRefusedException(UploadRefusedException.Kind.FORBIDDEN, forbidden.size()
                    + " row(s) belong to hospitals outside your account " + caller.hospitals(), forbidden);
        }
    }

    /** Inserts new episodes and updates known ones (a later file may carry the outcome). */
    private void write(UploadBatch batch, List<Patient> patients) {
        batch.persist();
        int chunk = config.writeChunkSize();
        for (int from = 0; from < patients.size(); from += chunk) {
            List<Patient> part = patients.subList(from, Math.min(patients.size(), from + chunk));
            Map<String, Patient> known = new HashMap<>();
            List<String> keys = part.stream().map(p -> p.patientKey).toList();
            for (Patient k : Patient.<Patient>list("patientKey in ?1", keys)) {
                known.put(k.patientKey, k);
            }
            for (Patient p : part) {
                Patient k = known.get(p.patientKey);
                if (k != null) {
                    k.copyFrom(p);
                } else {
                    p.persist();
                }
            }
            em.flush();
            em.clear();
        }
    }

    private static UploadReport report(UploadBatch b, boolean replayed) {
        UploadReport.Builder r = UploadReport.newBuilder().setBatchId(b.batchId).setLayout(b.layout)
                .setRowsRead(b.rowsRead).setRowsStored(b.rowsStored).setDeaths(b.deaths).setReplayed(replayed)
                .setSha256(b.sha256);
        if (!b.hospitals.isEmpty()) {
            r.addAllHospitals(List.of(b.hospitals.split(",")));
        }
        return r.build();
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
