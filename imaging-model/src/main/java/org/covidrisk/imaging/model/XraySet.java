package org.covidrisk.imaging.model;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * A directory of X-rays: {@code metadata.csv} with the columns of the shared COVID chest X-ray set
 * ({@code patientid, sex, age, finding, survival, filename, ...}) and {@code images/}. Every image is read once and
 * kept as normalised pixels of the network's input size; the SHA-256 of the metadata and all image bytes is the
 * data hash recorded in provenance.
 *
 * @param images one entry per image, in file order
 * @param dataSha256 hash of metadata.csv and every image file, in file order
 */
public record XraySet(List<Image> images, String dataSha256) {

    /** Pre-training task: the {@code finding} column folded into three classes. */
    public enum Finding {
        COVID_19, OTHER_PNEUMONIA, NO_FINDING;

        /** The class of a {@code finding} value, or null when unknown ("todo", empty). */
        public static Finding of(String finding) {
            String f = finding == null ? "" : finding.trim().toLowerCase(Locale.ROOT);
            if (f.isEmpty() || f.equals("todo") || f.equals("?")) {
                return null;
            }
            if (f.startsWith("covid-19")) {
                return COVID_19;
            }
            return f.equals("no finding") ? NO_FINDING : OTHER_PNEUMONIA;
        }
    }

    /**
     * One image and its patient's data.
     *
     * @param patientId patient key (patients have several images)
     * @param finding pre-training class, null when unknown
     * @param died true when {@code survival = N}, false when {@code Y}, null otherwise
     * @param age years, NaN when missing
     * @param male 1 for M, 0 for F, NaN when missing
     * @param pixels normalised grey pixels ({@link XrayTranslator#pixels})
     */
    public record Image(String patientId, Finding finding, Boolean died, double age, double male, float[] pixels) {
    }

    /** Reads {@code dir/metadata.csv} and {@code dir/images/*} at {@code inputSize} pixels. */
    public static XraySet load(Path dir, int inputSize) throws IOException {
        Path meta = dir.resolve("metadata.csv");
        if (!Files.isRegularFile(meta)) {
            throw new IOException(meta + " is missing");
        }
        MessageDigest sha = sha256();
        sha.update(Files.readAllBytes(meta));
        List<Image> out = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
            for (CSVRecord row : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
                String file = row.get("filename");
                Path image = dir.resolve("images").resolve(file).normalize();
                if (!image.startsWith(dir.resolve("images").normalize())) {
                    throw new IOException("line " + row.getRecordNumber() + ": filename leaves images/");
                }
                byte[] bytes = Files.readAllBytes(image);
                sha.update(bytes);
                var decoded = ImageIO.read(new java.io.ByteArrayInputStream(bytes));
                if (decoded == null) {
                    throw new IOException("line " + row.getRecordNumber() + ": " + file + " is not an image");
                }
                String survival = row.get("survival").trim();
                Boolean died = survival.equals("N") ? Boolean.TRUE : survival.equals("Y") ? Boolean.FALSE : null;
                String sex = row.get("sex").trim();
                double male = sex.equals("M") ? 1 : sex.equals("F") ? 0 : Double.NaN;
                String age = row.get("age").trim();
                out.add(new Image(row.get("patientid").trim(), Finding.of(row.get("finding")), died,
                        age.isEmpty() ? Double.NaN : Double.parseDouble(age), male,
                        XrayTranslator.pixels(decoded, inputSize)));
            }
        }
        return new XraySet(List.copyOf(out), HexFormat.of().formatHex(sha.digest()));
    }

    /** Patients with a survival label, in first-seen order, with their label. */
    public Map<String, Boolean> labelledPatients() {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (Image i : images) {
            if (i.died() != null) {
                out.putIfAbsent(i.patientId(), i.died());
            }
        }
        return out;
    }

    /** The first image's age and sex of each patient (they do not change between a patient's images). */
    public Map<String, Image> firstImageOfPatient() {
        Map<String, Image> out = new LinkedHashMap<>();
        for (Image i : images) {
            out.putIfAbsent(i.patientId(), i);
        }
        return out;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
