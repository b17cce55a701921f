package org.covidrisk.ingest.bench;

import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;

import org.covidrisk.ingest.admission.AdmissionCsvReader;
import org.covidrisk.ingest.admission.AdmissionReader;
import org.covidrisk.ingest.admission.FhirBundleReader;
import org.covidrisk.ingest.service.AdmissionStore;
import org.covidrisk.ingest.service.BatchStore;
import org.flywaydb.core.Flyway;

/**
 * Checks that admission uploads stream: writes a large synthetic admission CSV and a large NDJSON of FHIR Bundles,
 * stores each through {@link AdmissionStore} (the code the service runs inside its transaction) on a plain
 * PostgreSQL connection, and prints records/s and the peak heap. Run with a small heap ({@code -Xmx128m}): the
 * files are far larger than it.
 *
 * <p>
 * Arguments: JDBC URL, user, CSV rows, FHIR Bundles, folder for the generated files.
 */
public final class AdmissionStreamCheck {

    private AdmissionStreamCheck() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String user = args[1];
        int rows = Integer.parseInt(args[2]);
        int bundles = Integer.parseInt(args[3]);
        Path dir = Path.of(args[4]);
        Files.createDirectories(dir);
        Flyway.configure().dataSource(url, user, "").cleanDisabled(false).load().clean();
        Flyway.configure().dataSource(url, user, "").load().migrate();
        Path csv = dir.resolve("admissions.csv");
        writeCsv(csv, rows);
        Path ndjson = dir.resolve("bundles.ndjson");
        writeBundles(ndjson, bundles);
        System.out.printf(Locale.ROOT, "[check] heap max %d MiB; CSV %d rows, %.1f MiB; NDJSON %d Bundles, %.1f MiB%n",
                Runtime.getRuntime().maxMemory() >> 20, rows, Files.size(csv) / 1048576.0, bundles, Files.size(ndjson)
                        / 1048576.0);
        run(url, user, "csv", csv, new AdmissionCsvReader("ADMISSION_CSV", 10_000_000));
        run(url, user, "fhir", ndjson, new FhirBundleReader("FHIR", Duration.ofHours(48), 10_000_000));
    }

    private static void run(String url, String user, String name, Path file, AdmissionReader reader)
            throws Exception {
        resetPeaks();
        long t0 = System.nanoTime();
        BatchStore.Stored s;
        try (Connection c = DriverManager.getConnection(url, user, "")) {
            c.setAutoCommit(false);
            s = new AdmissionStore(50, 2000).store(c, new AdmissionStore.Request("check-" + name, "0", name, "check",
                    h -> true, false), file, reader, n -> {
                    });
            c.commit();
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(
                            "SELECT COUNT(*) FROM admission_item")) {
                rs.next();
                System.out.printf(Locale.ROOT, "[check] %s: %d items stored so far%n", name, rs.getLong(1));
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "[check] %s: %d records read, %d stored in %.1f s (%.0f records/s); peak heap "
                + "%d MiB%n", name, s.rowsRead(), s.rowsStored(), secs, s.rowsRead() / secs, peakHeap() >> 20);
    }

    private static void writeCsv(Path file, int rows) throws Exception {
        Random r = new Random(7);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("patient_id,hospital,admission_time,age,sex,hypertension,diabetes,heart_rate,spo2,temperature,"
                    + "crp,crp_unit,hemoglobin,hemoglobin_unit,creatinine,d_dimer,outcome,outcome_time\n");
            for (int i = 0; i < rows; i++) {
                int day = 1 + r.nextInt(28);
                boolean died = r.nextInt(5) == 0;
                w.write(String.format(Locale.ROOT, "p%d,BR-H%02d,2020-06-%02dT%02d:15,%d,%s,%s,%s,%d,%d,%.1f,%.1f,%s,"
                        + "%.1f,g/dL,%d,%.2f,%s,%s%n", i, r.nextInt(20), day, r.nextInt(24), 18 + r.nextInt(80),
                        r
                                .nextBoolean() ? "male" : "female",
                        r.nextBoolean() ? "yes" : "no", r.nextBoolean()
                                ? "1"
                                : "",
                        60 + r.nextInt(80), 80 + r.nextInt(20), 36 + r.nextDouble() * 3, r.nextDouble() * 20, r
                                .nextBoolean() ? "mg/dL" : "mg/L",
                        9 + r.nextDouble() * 8, 50 + r.nextInt(200), r.nextDouble() * 4, died ? "died" : "discharged",
                        String.format(Locale.ROOT, "2020-07-%02d", day)));
            }
        }
    }

    private static void writeBundles(Path file, int bundles) throws Exception {
        String template = new String(AdmissionStreamCheck.class.getClassLoader().getResourceAsStream(
                "admission/fhir-bundle.json").readAllBytes(), StandardCharsets.UTF_8).replaceAll("\\s*\\n\\s*", "");
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < bundles; i++) {
                w.write(template.replace("fhir-syn-1", "fhir-" + i));
                w.write('\n');
            }
        }
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            p.resetPeakUsage();
        }
    }

    /** The sum of the heap pools' peaks since the last reset (an upper bound of the live heap at any time). */
    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
