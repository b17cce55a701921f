package org.covidrisk.cli.xray;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.covidrisk.cli.suite.Http;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Uploads a directory in the layout of the shared chest X-ray set ({@code metadata.csv} with {@code patientid,
 * offset, view, filename, ...} and {@code images/}) through the gateway, one image per request
 * ({@code POST /api/v1/patients/{id}/images}). Idempotent like the store: a second run answers every image as
 * replayed. Refusals are collected by CSV line, never with patient values.
 */
public final class XrayImport {

    /** Which patient id an image is stored under; null skips the row. */
    public interface Ids extends Function<String, String> {
    }

    /**
     * What one run did.
     *
     * @param stored images stored now
     * @param replayed images that were already stored
     * @param skipped rows without a patient id mapping
     * @param refused CSV line → reason, for refused images
     */
    public record Summary(int stored, int replayed, int skipped, Map<Long, String> refused) {
    }

    private XrayImport() {
    }

    /**
     * @param gatewayUrl e.g. http://127.0.0.1:8080
     * @param token a data steward's access token
     * @param dir the directory (metadata.csv + images/)
     * @param ids maps the {@code patientid} column to the suite's patient id (null: skip the row)
     * @param hospital one of the steward's hospitals, or null for the first
     * @param baseDate when set, study time = base date + {@code offset} days
     * @param progress told every 50 images
     */
    public static Summary run(String gatewayUrl, String token, Path dir, Ids ids, String hospital, LocalDate baseDate,
            Consumer<String> progress) throws IOException, InterruptedException {
        Path meta = dir.resolve("metadata.csv");
        Path images = dir.resolve("images").normalize();
        int stored = 0;
        int replayed = 0;
        int skipped = 0;
        Map<Long, String> refused = new LinkedHashMap<>();
        List<CSVRecord> rows = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
            CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).forEach(rows::add);
        }
        for (CSVRecord row : rows) {
            long line = row.getRecordNumber() + 1; // the header is line 1
            String patient = ids.apply(row.get("patientid").strip());
            if (patient == null) {
                skipped++;
                continue;
            }
            Path file = images.resolve(row.get("filename").strip()).normalize();
            if (!file.startsWith(images) || !Files.isRegularFile(file)) {
                refused.put(line, "filename: no such file under images/");
                continue;
            }
            StringBuilder url = new StringBuilder(gatewayUrl).append("/api/v1/patients/").append(encode(patient))
                    .append("/images?fileName=").append(encode(file.getFileName().toString()));
            String view = row.isMapped("view") ? row.get("view").strip() : "";
            if (!view.isEmpty() && !view.equals("?")) {
                url.append("&view=").append(encode(view));
            }
            String offset = row.isMapped("offset") ? row.get("offset").strip() : "";
            if (baseDate != null && offset.matches("-?\\d{1,4}")) {
                url.append("&studyTime=").append(baseDate.plusDays(Integer.parseInt(offset)));
            }
            if (hospital != null) {
                url.append("&hospital=").append(encode(hospital));
            }
            Http.Reply reply = Http.postFile(url.toString(), token, file, mediaType(file), Map.of());
            if (reply.status() == 200) {
                if (reply.json().path("replayed").asBoolean()) {
                    replayed++;
                } else {
                    stored++;
                }
            } else {
                refused.put(line, reason(reply));
            }
            int done = stored + replayed + refused.size();
            if (done % 50 == 0) {
                progress.accept(done + " of " + (rows.size() - skipped) + " images sent");
            }
        }
        return new Summary(stored, replayed, skipped, refused);
    }

    /** The declared type, from the signature; the store reads the signature itself and refuses the rest. */
    static String mediaType(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4);
        }
        return head.length >= 4 && (head[0] & 0xff) == 0x89 && head[1] == 'P' ? "image/png" : "image/jpeg";
    }

    private static String reason(Http.Reply reply) {
        try {
            JsonNode p = reply.json();
            JsonNode first = p.path("errors").path(0);
            return "HTTP " + reply.status() + " " + (first.isMissingNode()
                    ? p.path("detail").asText()
                    : first.path("field").asText() + ": " + first.path("reason").asText());
        } catch (IllegalStateException e) {
            return "HTTP " + reply.status();
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
