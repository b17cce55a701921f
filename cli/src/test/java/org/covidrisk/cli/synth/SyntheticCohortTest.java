package org.covidrisk.cli.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticCohortTest {

    @TempDir
    Path dir;

    record Row(int age, boolean died, boolean pneumonia, boolean intubated, String hospital) {
    }

    static List<Row> read(List<Path> files) throws Exception {
        List<Row> rows = new java.util.ArrayList<>();
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f);
            List<String> header = List.of(lines.get(0).replace("\uFEFF", "").replace("\"", "").split(","));
            assertEquals(SyntheticCohort.COLUMNS, header, "official DGE 2022 column order");
            for (String line : lines.subList(1, lines.size())) {
                String[] v = line.replace("\"", "").split(",");
                assertEquals(header.size(), v.length);
                Map<String, String> m = new HashMap<>();
                for (int i = 0; i < v.length; i++) {
                    m.put(header.get(i), v[i]);
                }
                rows.add(new Row(Integer.parseInt(m.get("EDAD")), !m.get("FECHA_DEF").equals("9999-99-99"),
                        m.get("NEUMONIA").equals("1"), m.get("INTUBADO").equals("1"),
                        "MX-" + m.get("ENTIDAD_UM") + "-" + String.format("%02d", Integer.parseInt(m.get("SECTOR")))));
            }
        }
        return rows;
    }

    static double rate(List<Row> rows, java.util.function.Predicate<Row> p) {
        List<Row> s = rows.stream().filter(p).toList();
        return s.stream().filter(Row::died).count() / (double) s.size();
    }

    @Test
    void sameSeedSameFilesAndUniqueIds() throws Exception {
        List<Path> a = new SyntheticCohort(7).write(dir.resolve("a"), SyntheticCohort.DEMO_HOSPITALS, 300);
        List<Path> b = new SyntheticCohort(7).write(dir.resolve("b"), SyntheticCohort.DEMO_HOSPITALS, 300);
        for (int i = 0; i < a.size(); i++) {
            assertEquals(Files.readString(a.get(i)), Files.readString(b.get(i)));
        }
        Set<String> ids = new HashSet<>();
        for (Path f : a) {
            Files.readAllLines(f).stream().skip(1).forEach(l -> ids.add(l.split(",")[1]));
        }
        assertEquals(4 * 300, ids.size());
    }

    @Test
    void riskFactorsAndHospitalsShapeMortality() throws Exception {
        List<Row> rows = read(new SyntheticCohort(2021).write(dir, SyntheticCohort.DEMO_HOSPITALS, 3000));
        double overall = rate(rows, r -> true);
        assertTrue(overall > 0.03 && overall < 0.25, "overall mortality " + overall);
        assertTrue(rate(rows, r -> r.age() >= 70) > 3 * rate(rows, r -> r.age() < 40), "age raises risk");
        assertTrue(rate(rows, Row::pneumonia) > 2 * rate(rows, r -> !r.pneumonia()), "pneumonia raises risk");
        assertTrue(rate(rows, Row::intubated) > 2 * overall, "intubation raises risk");
        double lowest = SyntheticCohort.DEMO_HOSPITALS.stream()
                .mapToDouble(h -> rate(rows, r -> r.hospital().equals(h.key()))).min().orElseThrow();
        double highest = SyntheticCohort.DEMO_HOSPITALS.stream()
                .mapToDouble(h -> rate(rows, r -> r.hospital().equals(h.key()))).max().orElseThrow();
        assertTrue(highest > 1.5 * lowest, "hospitals differ: " + lowest + " vs " + highest);
    }
}
