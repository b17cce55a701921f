package org.covidrisk.ingest.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.covidrisk.ingest.DgeRows;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fault test: a private PostgreSQL (initdb / pg_ctl from /usr/lib/postgresql, data under target/, its own port)
 * is killed ({@code pg_ctl stop -m immediate}, i.e. a crash) while a large batch streams into it through
 * {@link BatchStore}, started again, and the client retries with the same batch id: the stored rows then equal
 * the file's rows exactly once. Skips with a message where no PostgreSQL server binaries are installed, or as
 * root without runuser and a postgres user.
 */
class PostgresRestartTest {

    private static final int ROWS = 150_000;
    private static Path bin;
    private static Path data;
    private static List<String> asPostgres;
    private static int port;
    private static String url;

    @BeforeAll
    static void startPostgres() throws Exception {
        Path lib = Path.of("/usr/lib/postgresql");
        Path found = null;
        if (Files.isDirectory(lib)) {
            try (Stream<Path> versions = Files.list(lib)) {
                found = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
                        .max(Comparator.naturalOrder()).orElse(null);
            }
        }
        assumeTrue(found != null, "skipped: no PostgreSQL server binaries under /usr/lib/postgresql");
        bin = found;
        asPostgres = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            // PostgreSQL refuses to run as root: run it as the postgres user.
            assumeTrue(Files.isExecutable(Path.of("/usr/sbin/runuser")) || Files.isExecutable(Path.of(
                    "/sbin/runuser")), "skipped: running as root without runuser");
            assumeTrue(run(List.of("id", "-u", "postgres")) == 0, "skipped: running as root and no postgres user");
            asPostgres.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        data = Path.of("target", "pg-fault").toAbsolutePath();
        deleteTree(data);
        Files.createDirectories(data);
        if (!asPostgres.isEmpty()) {
            assertEquals(0, run(List.of("chown", "postgres", data.toString())));
        }
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertEquals(0, pg("initdb", "-D", data.resolve("db").toString(), "-A", "trust", "-U", "postgres",
                "--no-sync"), "initdb");
        start();
        url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        Flyway.configure().dataSource(url, "postgres", "").locations("classpath:db/migration").load().migrate();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (data != null && Files.isDirectory(data.resolve("db"))) {
            pg("pg_ctl", "-D", data.resolve("db").toString(), "-m", "immediate", "-w", "stop");
        }
    }

    private static void start() throws Exception {
        assertEquals(0, pg("pg_ctl", "-D", data.resolve("db").toString(), "-l", data.resolve("log").toString(), "-w",
                "-t", "60", "-o", "-p " + port + " -k " + data + " -c listen_addresses=127.0.0.1", "start"),
                "pg_ctl start");
    }

    private static int pg(String tool, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(asPostgres);
        cmd.add(bin.resolve(tool).toString());
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    private static int run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        return p.waitFor(120, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    void aBatchInterruptedByACrashIsStoredExactlyOnceOnRetry() throws Exception {
        Path file = data.resolve("large.csv");
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(String.join(",", DgeRows.HEADER_2022));
            w.write('\n');
            for (int i = 0; i < ROWS; i++) {
                w.write(String.join(",", DgeRows.values("crash-" + i, "09", 4, Map.of("EDAD", Integer.toString(i
                        % 100)))));
                w.write('\n');
            }
        }
        BatchStore store = new BatchStore(50, 5_000_000, 2000);
        BatchStore.Request request = new BatchStore.Request("fault-batch", "ab".repeat(32), "large.csv", "steward",
                h -> true, false);

        // First attempt: the server is killed once a third of the rows has streamed.
        AtomicBoolean killed = new AtomicBoolean();
        CompletableFuture<Void> killer = new CompletableFuture<>();
        Exception failure = assertThrows(Exception.class, () -> {
            try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
                c.setAutoCommit(false);
                store.store(c, request, file, false, n -> {
                    if (n > ROWS / 3 && killed.compareAndSet(false, true)) {
                        CompletableFuture.runAsync(() -> {
                            try {
                                pg("pg_ctl", "-D", data.resolve("db").toString(), "-m", "immediate", "-w", "stop");
                                killer.complete(null);
                            } catch (Exception e) {
                                killer.completeExceptionally(e);
                            }
                        });
                    }
                });
                c.commit();
            }
        });
        killer.get(60, TimeUnit.SECONDS);
        assertTrue(killed.get(), "the server was killed mid-upload");
        assertTrue(failure instanceof SQLException || failure.getCause() instanceof SQLException, failure
                .toString());

        start();
        assertEquals(0, count("SELECT COUNT(*) FROM patient"), "nothing of the interrupted batch survives");
        assertEquals(0, count("SELECT COUNT(*) FROM upload_batch"));

        // The client retries with the same batch id.
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            c.setAutoCommit(false);
            BatchStore.Stored stored = store.store(c, request, file, false, n -> {
            });
            c.commit();
            assertEquals(ROWS, stored.rowsStored());
        }
        assertEquals(ROWS, count("SELECT COUNT(*) FROM patient"));
        assertEquals(ROWS, count("SELECT COUNT(DISTINCT patient_key) FROM patient WHERE patient_key LIKE 'crash-%'"));
        assertEquals(ROWS, count("SELECT rows_stored FROM upload_batch WHERE batch_id = 'fault-batch'"));

        // A second retry (the client missed the answer) stores nothing again: the id is taken, the service replays.
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            c.setAutoCommit(false);
            assertThrows(BatchStore.BatchIdTakenException.class, () -> store.store(c, request, file, false, n -> {
            }));
            c.rollback();
        }
        assertEquals(ROWS, count("SELECT COUNT(*) FROM patient"));
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
