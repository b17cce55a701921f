package org.covidrisk.cli.command;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.covidrisk.cli.suite.Tokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code covid-risk upload}: streams a file to the gateway with a bearer token, drawing a progress bar from the
 * bytes sent and, once they are all sent, from the upload's status (rows read while ingest-service stores it).
 * The batch id defaults to the file name and the start of its SHA-256, so running the same upload again is a
 * replay, not a second copy.
 */
@Command(name = "upload", mixinStandardHelpOptions = true, description = "Upload a data file through the gateway "
        + "(DGE CSV, admission CSV, Tongji export, FHIR Bundles) with a progress bar.")
public class UploadCommand implements Callable<Integer> {

    /** The upload formats and their gateway routes. */
    enum Format {
        dge("/api/v1/uploads/dge", "text/csv"), admissions("/api/v1/uploads/admissions", "text/csv"), tongji(
                "/api/v1/uploads/tongji", "text/csv"), fhir("/api/v1/uploads/fhir", "application/fhir+json");

        final String path;
        final String contentType;

        Format(String path, String contentType) {
            this.path = path;
            this.contentType = contentType;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--file", required = true, description = "the file to upload")
    Path file;

    @Option(names = "--format", required = true, description = "dge, admissions, tongji or fhir")
    Format format;

    @Option(names = "--hospital", description = "hospital of every record (tongji only; one of your account's)")
    String hospital;

    @Option(names = "--batch-id", description = "batch id (default: file name and the start of its SHA-256)")
    String batchId;

    @Option(names = "--quarantine", description = "store the valid records and quarantine the others")
    boolean quarantine;

    @Option(names = "--source", description = "what the patient ids are unique within (admission formats)")
    String source;

    @Option(names = "--gateway", defaultValue = "http://127.0.0.1:8080", description = "gateway URL (default: ${DEFAULT-VALUE})")
    String gateway;

    @Option(names = "--token", description = "bearer token (default: $COVID_RISK_TOKEN, or --user)")
    String token;

    @Option(names = "--user", description = "get a token for this user (password from $COVID_RISK_PASSWORD)")
    String user;

    @Option(names = "--keycloak", defaultValue = "http://127.0.0.1:8180", description = "Keycloak URL for --user (default: ${DEFAULT-VALUE})")
    String keycloak;

    @Option(names = "--poll-ms", defaultValue = "500", hidden = true)
    long pollMillis;

    PrintStream out = System.out;
    PrintStream err = System.err;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file)) {
            err.println("upload: no file " + file);
            return 2;
        }
        if (format == Format.tongji && (hospital == null || hospital.isBlank())) {
            err.println("upload: --hospital is required for the Tongji export (it names no hospital)");
            return 2;
        }
        String bearer = token();
        if (bearer == null) {
            err.println("upload: give --token, set COVID_RISK_TOKEN, or give --user with COVID_RISK_PASSWORD set");
            return 2;
        }
        String batch = batchId != null ? batchId : defaultBatchId(file);
        long total = Files.size(file);
        AtomicLong sent = new AtomicLong();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration
                .ofSeconds(10)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + format.path + query(batch)))
                .timeout(Duration.ofHours(1)).header("Authorization", "Bearer " + bearer).header("Batch-Id", batch)
                .header("Content-Type", contentType()).POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> counting(file, sent)), total))
                .build();
        err.println("uploading " + file.getFileName() + " as batch " + batch);
        CompletableFuture<HttpResponse<String>> reply = client.sendAsync(request, HttpResponse.BodyHandlers
                .ofString());
        String state = "sending";
        long rows = 0;
        while (true) {
            try {
                HttpResponse<String> r = reply.get(pollMillis, TimeUnit.MILLISECONDS);
                err.print("\r" + ProgressBar.render(total, total, "done", rows) + "\n");
                return report(r);
            } catch (TimeoutException e) {
                if (sent.get() >= total) {
                    // All bytes are out: ask how far the service got.
                    JsonNode st = status(client, bearer, batch);
                    if (st != null) {
                        state = st.path("state").asText(state);
                        rows = st.path("rowsRead").asLong(rows);
                    }
                }
                err.print("\r" + ProgressBar.render(sent.get(), total, state, rows));
                err.flush();
            }
        }
    }

    private String token() throws IOException, InterruptedException {
        if (token != null && !token.isBlank()) {
            return token.strip();
        }
        String env = System.getenv("COVID_RISK_TOKEN");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        String password = System.getenv("COVID_RISK_PASSWORD");
        if (user != null && password != null) {
            return Tokens.password(keycloak, user, password);
        }
        return null;
    }

    private String query(String batch) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("fileName", file.getFileName().toString());
        if (quarantine) {
            q.put("quarantine", "true");
        }
        if (hospital != null && !hospital.isBlank()) {
            q.put("hospital", hospital.strip());
        }
        if (source != null && !source.isBlank()) {
            q.put("source", source.strip());
        }
        return "?" + q.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(),
                StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private String contentType() {
        return format == Format.dge && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip")
                ? "application/zip"
                : format.contentType;
    }

    /** The file name (A-Z a-z 0-9 . _ - only) and the first 12 hex digits of the file's SHA-256. */
    static String defaultBatchId(Path file) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
            }
        }
        String name = file.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
        if (name.length() > 100) {
            name = name.substring(0, 100);
        }
        return name + "-" + HexFormat.of().formatHex(sha.digest()).substring(0, 12);
    }

    private static InputStream counting(Path file, AtomicLong sent) {
        try {
            return new FilterInputStream(Files.newInputStream(file)) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        sent.incrementAndGet();
                    }
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        sent.addAndGet(n);
                    }
                    return n;
                }
            };
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The upload's status, or null while the gateway does not know it yet (or cannot answer). */
    private JsonNode status(HttpClient client, String bearer, String batch) {
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(gateway + "/api/v1/uploads/"
                    + URLEncoder.encode(batch, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + bearer).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Prints the report (0) or the problem and its named errors (1). */
    private int report(HttpResponse<String> r) throws IOException {
        JsonNode body;
        try {
            body = JSON.readTree(r.body());
        } catch (IOException e) {
            err.println("upload failed: HTTP " + r.statusCode());
            return 1;
        }
        if (r.statusCode() != 200) {
            err.println("upload refused: HTTP " + r.statusCode() + " " + body.path("title").asText("") + ": "
                    + body.path("detail").asText(""));
            int shown = 0;
            for (JsonNode e : body.path("errors")) {
                if (shown++ == 20) {
                    err.println("  …");
                    break;
                }
                err.println("  " + e.path("field").asText() + ": " + e.path("reason").asText());
            }
            return 1;
        }
        out.printf("%s batch %s (%s): %d rows read, %d stored, %d quarantined, %d deaths, hospitals %s%n", body.path(
                "replayed").asBoolean() ? "replayed" : "stored", body.path("batchId").asText(), body.path("layout")
                        .asText(),
                body.path("rowsRead").asLong(), body.path("rowsStored").asLong(), body.path("rowsQuarantined")
                        .asLong(),
                body.path("deaths").asLong(), body.path("hospitals"));
        for (JsonNode q : body.path("quarantined")) {
            out.println("  quarantined line " + q.path("line").asLong() + (q.path("column").asText().isEmpty()
                    ? ""
                    : ", column " + q.path("column").asText()) + ": " + q.path("reason").asText());
        }
        return 0;
    }

    /** A one-line text progress bar. */
    static final class ProgressBar {
        static final int WIDTH = 30;

        private ProgressBar() {
        }

        /** e.g. {@code [###############---------------]  50%  1.0/2.0 MiB  storing, 1,200 rows read} */
        static String render(long sent, long total, String state, long rows) {
            double f = total <= 0 ? 1 : Math.min(1, (double) sent / total);
            int filled = (int) Math.round(f * WIDTH);
            StringBuilder s = new StringBuilder("[").append("#".repeat(filled)).append("-".repeat(WIDTH - filled))
                    .append("] ").append(String.format(Locale.ROOT, "%3d%%  %.1f/%.1f MiB  %s", Math.round(f * 100),
                            sent / 1048576.0, total / 1048576.0, state));
            if (rows > 0) {
                s.append(String.format(Locale.ROOT, ", %,d rows read", rows));
            }
            return s.toString();
        }
    }
}
