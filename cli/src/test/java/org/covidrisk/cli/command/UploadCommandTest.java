package org.covidrisk.cli.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import picocli.CommandLine;

/** `upload` against a fake gateway: what it sends, the progress bar, the report and a refusal. */
class UploadCommandTest {

    @TempDir
    Path dir;

    HttpServer server;
    final Map<String, String> seen = new ConcurrentHashMap<>();
    final AtomicInteger statusCalls = new AtomicInteger();
    volatile byte[] received;
    volatile int answer = 200;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/uploads/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange x) throws java.io.IOException {
        if (x.getRequestMethod().equals("GET")) {
            statusCalls.incrementAndGet();
            reply(x, 200, "{\"state\":\"storing\",\"rowsRead\":1200}");
            return;
        }
        seen.put("path", x.getRequestURI().getPath());
        seen.put("query", x.getRequestURI().getRawQuery());
        seen.put("batch", x.getRequestHeaders().getFirst("Batch-Id"));
        seen.put("auth", x.getRequestHeaders().getFirst("Authorization"));
        seen.put("type", x.getRequestHeaders().getFirst("Content-Type"));
        received = x.getRequestBody().readAllBytes();
        try {
            Thread.sleep(400); // "storing": the command polls the status meanwhile
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (answer == 200) {
            reply(x, 200, "{\"batchId\":\"" + seen.get("batch") + "\",\"layout\":\"TONGJI\",\"rowsRead\":3,"
                    + "\"rowsStored\":2,\"deaths\":1,\"hospitals\":[\"CN-WH-TJ\"],\"replayed\":false,"
                    + "\"rowsQuarantined\":1,\"quarantined\":[{\"line\":7,\"column\":\"hemoglobin\","
                    + "\"reason\":\"is not a decimal number\"}]}");
        } else {
            reply(x, answer, "{\"title\":\"Invalid request\",\"detail\":\"the batch was refused\",\"errors\":"
                    + "[{\"field\":\"line 2, column crp_unit\",\"reason\":\"unit is not one of [mg/L, mg/dL]\"}]}");
        }
    }

    private static void reply(HttpExchange x, int status, String json) throws java.io.IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", status == 200 ? "application/json" : "application/problem+json");
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
        x.close();
    }

    private int run(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
        UploadCommand command = new UploadCommand();
        command.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        command.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        return new CommandLine(command).execute(args);
    }

    @Test
    void streamsTheFileWithTokenAndBatchIdAndDrawsProgress() throws Exception {
        Path file = dir.resolve("tongji export.csv");
        byte[] bytes = "PATIENT_ID,RE_DATE\n1,43861.5\n".repeat(5000).getBytes(StandardCharsets.UTF_8);
        Files.write(file, bytes);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = run(out, err, "--file", file.toString(), "--format", "tongji", "--hospital", "CN-WH-TJ",
                "--quarantine", "--token", "tok-1", "--gateway", "http://127.0.0.1:" + server.getAddress().getPort(),
                "--poll-ms", "50");
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        assertArrayEquals(bytes, received, "the body arrives whole");
        assertEquals("/api/v1/uploads/tongji", seen.get("path"));
        assertEquals("fileName=tongji+export.csv&quarantine=true&hospital=CN-WH-TJ", seen.get("query"));
        assertEquals("Bearer tok-1", seen.get("auth"));
        assertEquals("text/csv", seen.get("type"));
        assertEquals(UploadCommand.defaultBatchId(file), seen.get("batch"));
        assertTrue(seen.get("batch").matches("tongji_export\\.csv-[0-9a-f]{12}"), seen.get("batch"));
        String progress = err.toString(StandardCharsets.UTF_8);
        assertTrue(progress.contains("100%"), progress);
        assertTrue(statusCalls.get() > 0 && progress.contains("storing, 1,200 rows read"), progress);
        String report = out.toString(StandardCharsets.UTF_8);
        assertTrue(report.contains("stored batch " + seen.get("batch") + " (TONGJI): 3 rows read, 2 stored, 1 "
                + "quarantined, 1 deaths"), report);
        assertTrue(report.contains("quarantined line 7, column hemoglobin: is not a decimal number"), report);
    }

    @Test
    void aRefusalPrintsTheNamedProblemsAndFails() throws Exception {
        answer = 400;
        Path file = dir.resolve("a.csv");
        Files.writeString(file, "patient_id,hospital,admission_time\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = run(out, err, "--file", file.toString(), "--format", "admissions", "--batch-id", "b-7", "--token",
                "t", "--gateway", "http://127.0.0.1:" + server.getAddress().getPort(), "--poll-ms", "50");
        assertEquals(1, code);
        assertEquals("b-7", seen.get("batch"));
        assertEquals("/api/v1/uploads/admissions", seen.get("path"));
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("HTTP 400 Invalid request: the batch was refused"), text);
        assertTrue(text.contains("line 2, column crp_unit: unit is not one of [mg/L, mg/dL]"), text);
    }

    @Test
    void tongjiNeedsAHospitalAndTheFileMustExist() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, run(new ByteArrayOutputStream(), err, "--file", dir.resolve("none.csv").toString(),
                "--format", "dge", "--token", "t"));
        assertEquals(2, run(new ByteArrayOutputStream(), err, "--file", dir.toString(), "--format", "tongji",
                "--token", "t"));
    }

    @Test
    void theBarFillsWithTheBytesSent() {
        assertEquals("[###############---------------]  50%  1.0/2.0 MiB  sending", UploadCommand.ProgressBar.render(
                1 << 20, 2 << 20, "sending", 0));
        assertEquals("[##############################] 100%  2.0/2.0 MiB  storing, 12,345 rows read",
                UploadCommand.ProgressBar.render(2 << 20, 2 << 20, "storing", 12_345));
    }
}
