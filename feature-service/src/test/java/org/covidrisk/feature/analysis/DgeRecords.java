package org.covidrisk.feature.analysis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipInputStream;

import org.covidrisk.ingest.v1.CovidStatus;
import org.covidrisk.ingest.v1.PatientRecord;
import org.covidrisk.ingest.v1.PatientType;
import org.covidrisk.ingest.v1.Sex;

/**
 * Reads a DGE open-data CSV (2020 or 2022 layout, plain or zipped) into PatientRecords for the feature analysis.
 * A test-side reader on purpose: feature-service does not depend on ingest-service, and the analysis needs only
 * the mapping of the fields the feature sets use (the same codes as ingest's catalogue: 1 yes, 2 no, 97-99
 * missing).
 */
final class DgeRecords {

    private DgeRecords() {
    }

    /** The shared data directory ({@code ../shared/data} from the repository root), or null when absent. */
    static Path dataDir() {
        Path root = Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."));
        for (Path p : List.of(root.resolve("../shared/data"), Path.of("../../shared/data"),
                Path.of("../shared/data"))) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        return null;
    }

    static List<PatientRecord> read(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            if (file.toString().endsWith(".zip")) {
                ZipInputStream zip = new ZipInputStream(in);
                while (zip.getNextEntry() != null) {
                    return read(new BufferedReader(new InputStreamReader(zip, StandardCharsets.UTF_8)));
                }
                return List.of();
            }
            return read(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        }
    }

    private static List<PatientRecord> read(BufferedReader r) throws IOException {
        String[] header = split(r.readLine().replace("\uFEFF", ""));
        Map<String, Integer> col = new HashMap<>();
        for (int i = 0; i < header.length; i++) {
            col.put(header[i], i);
        }
        boolean layout2020 = col.containsKey("RESULTADO");
        List<PatientRecord> out = new ArrayList<>();
        String line;
        while ((line = r.readLine()) != null) {
            String[] v = split(line);
            PatientRecord.Builder p = PatientRecord.newBuilder().setPatientId(v[col.get("ID_REGISTRO")])
                    .setHospital("MX-" + v[col.get("ENTIDAD_UM")] + "-" + v[col.get("SECTOR")]);
            int sexo = Integer.parseInt(v[col.get("SEXO")]);
            p.setSex(sexo == 1 ? Sex.SEX_FEMALE : sexo == 2 ? Sex.SEX_MALE : Sex.SEX_UNSPECIFIED);
            String edad = v[col.get("EDAD")];
            if (!edad.isEmpty()) {
                p.setAge(Integer.parseInt(edad));
            }
            int tipo = Integer.parseInt(v[col.get("TIPO_PACIENTE")]);
            p.setPatientType(tipo == 1
                    ? PatientType.PATIENT_TYPE_OUTPATIENT
                    : tipo == 2 ? PatientType.PATIENT_TYPE_HOSPITALISED : PatientType.PATIENT_TYPE_UNSPECIFIED);
            p.setCovidStatus(layout2020
                    ? status2020(v[col.get("RESULTADO")])
                    : status2022(v[col.get(
                            "CLASIFICACION_FINAL")]));
            String def = v[col.get("FECHA_DEF")];
            p.setDied(def.matches("\\d{4}-\\d{2}-\\d{2}") && !def.equals("9999-99-99"));
            p.setAdmissionDate(v[col.get("FECHA_INGRESO")]).setSymptomOnsetDate(v[col.get("FECHA_SINTOMAS")]);
            p.setUsmer("1".equals(v[col.get("ORIGEN")])).setSector(Integer.parseInt(v[col.get("SECTOR")]));
            p.setStateOfUnit(state(v[col.get("ENTIDAD_UM")])).setStateOfBirth(state(v[col.get("ENTIDAD_NAC")]))
                    .setStateOfResidence(state(v[col.get("ENTIDAD_RES")]));
            Boolean b;
            if ((b = yn(v, col, "NEUMONIA")) != null) {
                p.setPneumonia(b);
            }
            if ((b = yn(v, col, "INTUBADO")) != null) {
                p.setIntubated(b);
            }
            if ((b = yn(v, col, "UCI")) != null) {
                p.setIcu(b);
            }
            if ((b = yn(v, col, "DIABETES")) != null) {
                p.setDiabetes(b);
            }
            if ((b = yn(v, col, "EPOC")) != null) {
                p.setCopd(b);
            }
            if ((b = yn(v, col, "ASMA")) != null) {
                p.setAsthma(b);
            }
            if ((b = yn(v, col, "INMUSUPR")) != null) {
                p.setImmunosuppressed(b);
            }
            if ((b = yn(v, col, "HIPERTENSION")) != null) {
                p.setHypertension(b);
            }
            if ((b = yn(v, col, "OTRA_COM")) != null) {
                p.setOtherDisease(b);
            }
            if ((b = yn(v, col, "CARDIOVASCULAR")) != null) {
                p.setCardiovascular(b);
            }
            if ((b = yn(v, col, "OBESIDAD")) != null) {
                p.setObesity(b);
            }
            if ((b = yn(v, col, "RENAL_CRONICA")) != null) {
                p.setChronicKidneyDisease(b);
            }
            if ((b = yn(v, col, "TABAQUISMO")) != null) {
                p.setSmoker(b);
            }
            if ((b = yn(v, col, "EMBARAZO")) != null) {
                p.setPregnant(b);
            }
            if ((b = yn(v, col, "OTRO_CASO")) != null) {
                p.setContactWithCase(b);
            }
            if ((b = yn(v, col, "HABLA_LENGUA_INDIG")) != null) {
                p.setIndigenousLanguage(b);
            }
            if ((b = yn(v, col, "NACIONALIDAD")) != null) {
                p.setMexicanNational(b);
            }
            out.add(p.build());
        }
        return out;
    }

    private static CovidStatus status2020(String v) {
        return switch (v) {
            case "1" -> CovidStatus.COVID_STATUS_CONFIRMED;
            case "2" -> CovidStatus.COVID_STATUS_NEGATIVE;
            case "3" -> CovidStatus.COVID_STATUS_PENDING;
            default -> CovidStatus.COVID_STATUS_UNSPECIFIED;
        };
    }

    private static CovidStatus status2022(String v) {
        return switch (v) {
            case "1", "2", "3" -> CovidStatus.COVID_STATUS_CONFIRMED;
            case "7" -> CovidStatus.COVID_STATUS_NEGATIVE;
            case "4", "5", "6" -> CovidStatus.COVID_STATUS_PENDING;
            default -> CovidStatus.COVID_STATUS_UNSPECIFIED;
        };
    }

    private static String state(String code) {
        return code.isEmpty() || code.equals("97") || code.equals("98") || code.equals("99") ? "" : code;
    }

    private static Boolean yn(String[] v, Map<String, Integer> col, String name) {
        return switch (v[col.get(name)]) {
            case "1" -> Boolean.TRUE;
            case "2" -> Boolean.FALSE;
            default -> null;
        };
    }

    private static String[] split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out.toArray(String[]::new);
    }
}
