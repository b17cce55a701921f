package org.covidrisk.ingest.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.covidrisk.ingest.Patient;
import org.covidrisk.ingest.config.IngestConfig;
import org.covidrisk.ingest.v1.ImageInfo;
import org.covidrisk.ingest.v1.ImageUploadHeader;
import org.covidrisk.platform.security.Caller;
import org.covidrisk.platform.security.Roles;
import org.jboss.logging.Logger;

import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The chest X-ray store: bytes in a content-addressed directory (file name = hex SHA-256, written to a temporary
 * file in the same directory tree and moved into place atomically), one {@code xray_image} row per image. The file
 * is moved before the row is written, so a crash can leave an unreferenced file (adopted by the next upload of the
 * same bytes) but never a row without its file. Tenancy: an image belongs to one hospital; uploads only into the
 * caller's hospitals, reads only from them (model administrators read every hospital's, as they stream the
 * cohort for training).
 */
@ApplicationScoped
public class ImageStore {

    private static final Logger LOG = Logger.getLogger(ImageStore.class);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern PATIENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern VIEW = Pattern.compile("[A-Za-z0-9 ._()-]{1,32}");

    /** A stored image the caller may read, and where its bytes are. */
    public record Stored(ImageInfo info, Path file) {
    }

    /** An upload header, checked. */
    public record Header(String patientId, String hospital, String view, String studyTime, LocalDateTime studyAt,
            String fileName) {
    }

    @Inject
    IngestConfig config;

    private Path dir;
    private Path tmp;
    private ImageInspector inspector;

    @PostConstruct
    void init() throws IOException {
        dir = config.images().dir().toAbsolutePath().normalize();
        tmp = dir.resolve("tmp");
        Files.createDirectories(tmp);
        inspector = new ImageInspector(config.images().maxBytes(), config.images().maxPixels());
        // uploads interrupted by a crash; an hour old, so no upload in flight on another instance is touched
        Instant old = Instant.now().minus(Duration.ofHours(1));
        try (var files = Files.list(tmp)) {
            for (Path p : files.toList()) {
                if (Files.getLastModifiedTime(p).compareTo(FileTime.from(old)) < 0) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Largest accepted image in bytes. */
    public long maxBytes() {
        return config.images().maxBytes();
    }

    /** Bytes per message when an image is streamed back. */
    public int chunkBytes() {
        return config.images().chunkBytes();
    }

    /** A new spool file for an upload in flight, on the store's file system. */
    public Path newSpoolFile() throws IOException {
        return Files.createTempFile(tmp, "upload-", ".part");
    }

    /**
     * Checks an upload header before any byte is received: patient id, a hospital of the caller (the caller's home
     * hospital when empty), view and study time.
     */
    public Header check(Caller caller, ImageUploadHeader h) {
        String patient = h.getPatientId().strip();
        if (!PATIENT_ID.matcher(patient).matches()) {
            throw ImageRefusedException.invalid("patient_id", "must be 1-64 characters of A-Z a-z 0-9 . _ : -");
        }
        String hospital = h.getHospital().isBlank() ? caller.homeHospital() : h.getHospital().strip();
        if (!caller.belongsTo(hospital)) {
            throw new ImageRefusedException(ImageRefusedException.Kind.FORBIDDEN, "hospital",
                    hospital == null ? "your account has no hospital" : "is not a hospital of your account");
        }
        if (!patientStored(patient, hospital)) {
            // an X-ray is only useful next to the patient's record (age, sex, outcome, stage inputs); refusing an
            // unknown id also keeps a typo from filing an image under a patient nobody can score
            throw new ImageRefusedException(ImageRefusedException.Kind.NOT_FOUND, "patient_id",
                    "no patient with this id in hospital " + hospital
                            + "; upload the patient's record (DGE or admission) before the X-ray");
        }
        String view = h.getView().strip();
        if (!view.isEmpty() && !VIEW.matcher(view).matches()) {
            throw ImageRefusedException.invalid("view", "must be at most 32 characters of letters, digits, "
                    + "spaces and . _ ( ) -, e.g. PA, AP Supine, L");
        }
        String study = h.getStudyTime().strip();
        LocalDateTime studyAt = study.isEmpty() ? null : parseStudyTime(study);
        String file = h.getFileName().strip();
        file = file.substring(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
        if (file.length() > 255) {
            file = file.substring(0, 255);
        }
        return new Header(patient, hospital, view.isEmpty() ? null : view, study.isEmpty() ? null : study, studyAt,
                file.isEmpty() ? null : file);
    }

    /** Whether the hospital holds a DGE record or an admission record with this patient id. */
    private static boolean patientStored(String patientId, String hospital) {
        try {
            return QuarkusTransaction.requiringNew().call(() -> Patient.count("patientKey = ?1 and hospital = ?2",
                    patientId, hospital) > 0
                    || !Panache.getEntityManager()
                            .createNativeQuery("SELECT 1 FROM admission WHERE hospital = ?1 AND patient_id = ?2")
                            .setParameter(1, hospital).setParameter(2, patientId).setMaxResults(1).getResultList()
                            .isEmpty());
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
    }

    static LocalDateTime parseStudyTime(String s) {
        LocalDateTime at;
        try {
            if (s.length() == 10) {
                at = LocalDate.parse(s).atStartOfDay();
            } else if (s.endsWith("Z") || s.matches(".*[+-]\\d\\d:?\\d\\d$")) {
                at = OffsetDateTime.parse(s).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
            } else {
                at = LocalDateTime.parse(s);
            }
        } catch (DateTimeParseException e) {
            throw ImageRefusedException.invalid("study_time", "is not an ISO-8601 date (2020-04-30) or date-time "
                    + "(2020-04-30T14:05)");
        }
        if (at.getYear() < 1900 || at.isAfter(LocalDateTime.now(ZoneOffset.UTC).plusDays(1))) {
            throw ImageRefusedException.invalid("study_time", "is before 1900 or in the future");
        }
        return at;
    }

    /**
     * Stores a spooled upload whose SHA-256 is {@code sha256} (the spool file is moved or deleted): the same bytes
     * already stored for the same patient and hospital are a replay ({@code replayed = true}), for another patient
     * a conflict.
     */
    public ImageInfo store(Caller caller, Header header, Path spooled, String sha256) {
        try {
            ImageFacts facts = inspector.inspect(spooled);
            Optional<XrayImage> known = byHash(sha256);
            if (known.isPresent()) {
                return replayOrConflict(known.get(), header);
            }
            Path target = dir.resolve(sha256);
            moveIntoPlace(spooled, target);
            XrayImage row = new XrayImage();
            row.sha256 = sha256;
            row.patientKey = header.patientId();
            row.hospital = header.hospital();
            row.mediaType = facts.mediaType();
            row.sizeBytes = Files.size(target);
            row.width = facts.width();
            row.height = facts.height();
            row.bitDepth = facts.bitDepth();
            row.view = header.view();
            row.studyTime = header.studyTime();
            row.studyAt = header.studyAt();
            row.fileName = header.fileName();
            row.uploadedBy = caller.username();
            row.storedAt = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS); // as the database keeps it
            try {
                QuarkusTransaction.requiringNew().run(row::persist);
            } catch (RuntimeException e) {
                // most likely the same bytes stored concurrently: answer as the replay it then is
                Optional<XrayImage> raced = byHash(sha256);
                if (raced.isPresent()) {
                    return replayOrConflict(raced.get(), header);
                }
                throw unavailable(e);
            }
            LOG.infof("X-ray stored: %s, %dx%d, %d bytes, by %s", row.mediaType, row.width, row.height, row.sizeBytes,
                    caller.username());
            return info(row, false);
        } catch (IOException e) {
            throw unavailable(e);
        } finally {
            deleteQuietly(spooled);
        }
    }

    private static ImageInfo replayOrConflict(XrayImage known, Header header) {
        if (known.patientKey.equals(header.patientId()) && known.hospital.equals(header.hospital())) {
            return info(known, true);
        }
        throw new ImageRefusedException(ImageRefusedException.Kind.CONFLICT, "image",
                "these bytes are already stored for another patient");
    }

    private static void moveIntoPlace(Path spooled, Path target) throws IOException {
        if (Files.exists(target)) {
            return; // the same bytes, left by an upload whose row was never written: adopt them
        }
        try {
            Files.move(spooled, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            // a concurrent upload of the same bytes won the move; the content is identical
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(spooled, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * The image by hash, or the patient's latest (by study time, then storage time) when {@code sha256} is empty;
     * empty when absent or outside the caller's hospitals (the same answer, so existence is not disclosed).
     */
    public Optional<Stored> find(Caller caller, String sha256, String patientId) {
        String sha = sha256.strip().toLowerCase(java.util.Locale.ROOT);
        String patient = patientId.strip();
        boolean everyHospital = caller.hasRole(Roles.MODEL_ADMIN);
        Optional<XrayImage> row;
        if (!sha.isEmpty()) {
            if (!SHA256.matcher(sha).matches()) {
                throw ImageRefusedException.invalid("sha256", "must be 64 hexadecimal characters");
            }
            row = byHash(sha).filter(r -> patient.isEmpty() || r.patientKey.equals(patient));
        } else {
            if (patient.isEmpty()) {
                throw ImageRefusedException.invalid("patient_id", "sha256 or patient_id is required");
            }
            row = latest(patient, everyHospital ? null : caller.hospitals());
        }
        return row.filter(r -> everyHospital || caller.belongsTo(r.hospital))
                .map(r -> new Stored(info(r, false), dir.resolve(r.sha256)));
    }

    /** Opens a stored image's bytes. */
    public InputStream open(Stored image) throws IOException {
        return Files.newInputStream(image.file());
    }

    private static Optional<XrayImage> byHash(String sha) {
        try {
            return QuarkusTransaction.requiringNew().call(() -> XrayImage.<XrayImage>findByIdOptional(sha));
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
    }

    private static Optional<XrayImage> latest(String patient, java.util.List<String> hospitals) {
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                var params = io.quarkus.panache.common.Parameters.with("patient", patient);
                String where = "patientKey = :patient";
                if (hospitals != null) {
                    if (hospitals.isEmpty()) {
                        return Optional.<XrayImage>empty();
                    }
                    where += " and hospital in :hospitals";
                    params = params.and("hospitals", hospitals);
                }
                return XrayImage.<XrayImage>find(where + " order by studyAt desc nulls last, storedAt desc", params)
                        .firstResultOptional();
            });
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
    }

    static ImageInfo info(XrayImage r, boolean replayed) {
        return ImageInfo.newBuilder().setSha256(r.sha256).setPatientId(r.patientKey).setHospital(r.hospital)
                .setMediaType(r.mediaType).setSizeBytes(r.sizeBytes).setWidth(r.width).setHeight(r.height)
                .setView(r.view == null ? "" : r.view).setStudyTime(r.studyTime == null ? "" : r.studyTime)
                .setStoredAt(r.storedAt.toString()).setReplayed(replayed).build();
    }

    private static ImageRefusedException unavailable(Exception e) {
        // server-side fault: logged without content; the client may retry (content addressing makes it safe)
        LOG.errorf("X-ray store failed: %s", e.getClass().getSimpleName());
        return new ImageRefusedException(ImageRefusedException.Kind.UNAVAILABLE, "",
                "the image store is unavailable now; retry");
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("could not delete temporary upload %s", file.getFileName());
        }
    }
}
