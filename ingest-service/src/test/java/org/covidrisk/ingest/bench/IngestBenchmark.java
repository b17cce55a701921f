package org.covidrisk.ingest.bench;

import java.io.BufferedReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.covidrisk.ingest.service.BatchStore;
import org.covidrisk.ingest.service.UploadRefusedException;
import org.flywaydb.core.Flyway;

/**
 * {@code ./covid-risk bench ingest}: the 2020 DGE cut into PostgreSQL through {@link BatchStore} (the code
 * UploadService runs inside its transaction: read, validate, tenancy check, COPY into {@code patient}), side by
 * side with {@code psql \copy} of the same rows (the unzipped CSV) into an equivalent table: the file's columns,
 * typed, with a primary key on the record id and one secondary index, as {@code patient} has. Runs alternate,
 * each into emptied tables; the medians are compared. The upload runs in quarantine mode, so a row the
 * service refuses is recorded in {@code upload_quarantine} instead of stopping the batch; rates count rows read,
 * i.e. every row of the file.
 *
 * <p>
 * Arguments: JDBC URL, user, zip, unzipped CSV, runs.
 */
public final class IngestBenchmark {

    private static final Set<String> DATE_COLUMNS = Set.of("FECHA_ACTUALIZACION", "FECHA_INGRESO",
            "FECHA_SINTOMAS");
    private static final Set<String> TEXT_COLUMNS = Set.of("ID_REGISTRO", "FECHA_DEF", "MUNICIPIO_RES",
            "PAIS_NACIONALIDAD", "PAIS_ORIGEN");

    private IngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (UploadRefusedException e) {
            System.out.println("[bench] refused: " + e.getMessage() + " " + e.violations().subList(0, Math.min(5, e
                    .violations().size())));
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        String url = args[0];
        String user = args[1];
        Path zip = Path.of(args[2]);
        Path csv = Path.of(args[3]);
        int runs = Integer.parseInt(args[4]);

        Flyway.configure().dataSource(url, user, "").locations("classpath:db/migration").cleanDisabled(false)
                .load().clean();
        Flyway.configure().dataSource(url, user, "").locations("classpath:db/migration").load().migrate();
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(zip)));
        try (Connection c = DriverManager.getConnection(url, user, "")) {
            createCopyTable(c, csv);
        }
        System.out.printf(Locale.ROOT, "[bench] %s: %s%n", zip.getFileName(), ManagementFactory.getRuntimeMXBean()
                .getInputArguments().stream().filter(a -> a.startsWith("-Xmx")).findFirst().orElse("default heap"));

        BatchStore store = new BatchStore(50, 5_000_000, 2000);
        List<Double> ours = new ArrayList<>();
        List<Double> copy = new ArrayList<>();
        long rows = 0;
        for (int run = 1; run <= runs; run++) {
            try (Connection c = DriverManager.getConnection(url, user, "")) {
                try (Statement s = c.createStatement()) {
                    s.execute("TRUNCATE patient, upload_quarantine, upload_batch");
                    s.execute("VACUUM ANALYZE patient");
                }
                c.setAutoCommit(false);
                long t0 = System.nanoTime();
                BatchStore.Stored stored = store.store(c, new BatchStore.Request("bench-" + run, sha, zip
                        .getFileName().toString(), "bench", h -> true, true), zip, false, n -> {
                        });
                c.commit();
                double sec = (System.nanoTime() - t0) / 1e9;
                rows = stored.rowsRead();
                long inDb = count(c, "SELECT COUNT(*) FROM patient");
                long quarantined = count(c, "SELECT COUNT(DISTINCT line) FROM upload_quarantine");
                if (inDb != stored.rowsStored() || inDb + quarantined != rows) {
                    throw new IllegalStateException("stored " + inDb + " + quarantined " + quarantined + " of "
                            + rows + " rows read");
                }
                ours.add(rows / sec);
                System.out.printf(Locale.ROOT, "[bench] run %d ours (BatchStore, COPY): %,d rows read in %.2f s = "
                        + "%,.0f rows/s (%,d stored, %d quarantined, %,d deaths, %d hospitals)%n", run, rows, sec,
                        rows / sec, inDb, quarantined, stored.deaths(), stored.hospitals().size());
            }
            try (Connection c = DriverManager.getConnection(url, user, "")) {
                try (Statement s = c.createStatement()) {
                    s.execute("TRUNCATE dge_copy");
                    s.execute("VACUUM ANALYZE dge_copy");
                }
                long t0 = System.nanoTime();
                psqlCopy(url, user, csv);
                double sec = (System.nanoTime() - t0) / 1e9;
                long inDb = count(c, "SELECT COUNT(*) FROM dge_copy");
                copy.add(inDb / sec);
                System.out.printf(Locale.ROOT, "[bench] run %d psql \\copy: %,d rows in %.2f s = %,.0f rows/s%n", run,
                        inDb, sec, inDb / sec);
                if (inDb != rows) {
                    throw new IllegalStateException("psql loaded " + inDb + " rows, ours " + rows);
                }
            }
        }
        double o = median(ours);
        double p = median(copy);
        System.out.printf(Locale.ROOT, "[bench] median of %d runs: ours %,.0f rows/s, psql \\copy %,.0f rows/s, "
                + "ratio %.2f (goal >= 0.50)%n", runs, o, p, o / p);
    }

    /** The file's columns, typed as the data allow, a primary key on the id and an index like patient's. */
    private static void createCopyTable(Connection c, Path csv) throws Exception {
        String header;
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            header = r.readLine();
        }
        List<String> cols = new ArrayList<>();
        for (String h : header.replace("\uFEFF", "").split(",")) {
            String name = h.replace("\"", "").strip().toUpperCase(Locale.ROOT);
            String type = DATE_COLUMNS.contains(name)
                    ? "DATE"
                    : TEXT_COLUMNS.contains(name)
                            ? "VARCHAR(64)"
                            : "SMALLINT";
            cols.add(name.toLowerCase(Locale.ROOT) + " " + type + (name.equals("ID_REGISTRO")
                    ? " PRIMARY KEY"
                    : ""));
        }
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS dge_copy");
            s.execute("CREATE TABLE dge_copy (" + String.join(", ", cols) + ")");
            s.execute("CREATE INDEX dge_copy_unit_idx ON dge_copy (entidad_um, sector)");
        }
    }

    private static void psqlCopy(String url, String user, Path csv) throws Exception {
        // jdbc:postgresql://host:port/db
        String rest = url.substring("jdbc:postgresql://".length());
        String hostPort = rest.substring(0, rest.indexOf('/'));
        String db = rest.substring(rest.indexOf('/') + 1);
        String host = hostPort.contains(":") ? hostPort.substring(0, hostPort.indexOf(':')) : hostPort;
        String port = hostPort.contains(":") ? hostPort.substring(hostPort.indexOf(':') + 1) : "5432";
        Process p = new ProcessBuilder("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", host, "-p", port, "-U",
                user, "-d", db, "-c", "\\copy dge_copy FROM '" + csv.toAbsolutePath() + "' WITH (FORMAT csv, "
                        + "HEADER true)")
                .inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("psql \\copy failed");
        }
    }

    private static long count(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
