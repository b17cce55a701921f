package org.covidrisk.ingest.service;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.covidrisk.ingest.config.IngestConfig;
import org.covidrisk.ingest.v1.UploadReport;
import org.covidrisk.ingest.v1.UploadState;

/**
 * Uploads in flight on this instance and the last finished ones, so a client can ask how far its upload got.
 * Stored batches are also answered from the database (see {@link UploadService#status}); this registry adds the
 * running and the refused ones, which the database never holds.
 */
@ApplicationScoped
public class UploadProgress {

    /** The progress of one upload; counters are updated by the upload's thread and read by status calls. */
    public static final class Entry {
        final String batchId;
        final String owner;
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong rowsRead = new AtomicLong();
        volatile UploadState state = UploadState.UPLOAD_STATE_RECEIVING;
        volatile UploadReport report;
        volatile String message = "";

        Entry(String batchId, String owner) {
            this.batchId = batchId;
            this.owner = owner;
        }

        /** Bytes received so far. */
        public void received(long total) {
            bytes.set(total);
        }

        /** Data rows read so far. */
        public void rowsRead(long total) {
            rowsRead.set(total);
        }

        public String batchId() {
            return batchId;
        }

        public String owner() {
            return owner;
        }

        public UploadState state() {
            return state;
        }

        public long bytes() {
            return bytes.get();
        }

        public long rows() {
            return rowsRead.get();
        }

        public UploadReport report() {
            return report;
        }

        public String message() {
            return message;
        }
    }

    @Inject
    IngestConfig config;

    private final Map<String, Entry> running = new ConcurrentHashMap<>();
    private final Map<String, Entry> recent = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, UploadProgress.Entry> eldest) {
            return size() > config.recentUploadsKept();
        }
    };

    /** An upload has begun receiving bytes. */
    public Entry start(String batchId, String owner) {
        Entry e = new Entry(batchId, owner);
        running.put(batchId, e);
        return e;
    }

    /** All bytes are in; rows are being read and written. */
    public void storing(Entry e) {
        e.rowsRead.set(0);
        e.state = UploadState.UPLOAD_STATE_STORING;
    }

    /** The batch was committed (or replayed). */
    public void stored(Entry e, UploadReport report) {
        e.report = report;
        e.rowsRead.set(report.getRowsRead());
        finish(e, UploadState.UPLOAD_STATE_STORED);
    }

    /** The batch was refused; nothing was stored. */
    public void refused(Entry e, String message) {
        e.message = message;
        finish(e, UploadState.UPLOAD_STATE_REFUSED);
    }

    private void finish(Entry e, UploadState state) {
        e.state = state;
        running.remove(e.batchId, e);
        synchronized (recent) {
            recent.put(e.batchId, e);
        }
    }

    /** The running or recently finished upload of this batch id by this owner. */
    public Optional<Entry> find(String batchId, String owner) {
        Entry e = running.get(batchId);
        if (e == null) {
            synchronized (recent) {
                e = recent.get(batchId);
            }
        }
        return e != null && e.owner.equals(owner) ? Optional.of(e) : Optional.empty();
    }
}
