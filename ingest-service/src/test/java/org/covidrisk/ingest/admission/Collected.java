package org.covidrisk.ingest.admission;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.covidrisk.ingest.dge.RowViolation;

/** What an admission reader handed over: valid records by patient id, and the problems of invalid ones. */
final class Collected implements AdmissionReader.Handler<RuntimeException> {

    final Map<String, Admission> records = new LinkedHashMap<>();
    final Map<String, Long> lines = new LinkedHashMap<>();
    final List<RowViolation> problems = new ArrayList<>();
    final List<Long> invalidLines = new ArrayList<>();
    AdmissionReader.Summary summary;

    static Collected read(AdmissionReader reader, Path file) throws AdmissionFileException {
        Collected c = new Collected();
        c.summary = reader.read(file, c);
        return c;
    }

    static Path write(String text) throws java.io.IOException {
        Path f = Files.createTempFile("admission-test-", ".txt");
        f.toFile().deleteOnExit();
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    static Path resource(String name) throws Exception {
        var url = Collected.class.getClassLoader().getResource("admission/" + name);
        if (url == null) {
            throw new IllegalStateException("missing test resource admission/" + name);
        }
        return Path.of(url.toURI());
    }

    @Override
    public boolean record(long line, Admission a) {
        records.put(a.patientId, a);
        lines.put(a.patientId, line);
        return true;
    }

    @Override
    public boolean invalid(long line, List<RowViolation> p) {
        invalidLines.add(line);
        problems.addAll(p);
        return true;
    }

    /** "line N, column C" of every problem. */
    List<String> where() {
        return problems.stream().map(RowViolation::location).toList();
    }

    /** The canonical value of an item, NaN when absent. */
    static double value(Admission a, String code) {
        Admission.Item i = a.item(code);
        return i == null ? Double.NaN : i.value();
    }
}
