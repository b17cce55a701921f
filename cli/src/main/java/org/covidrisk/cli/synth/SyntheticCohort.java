package org.covidrisk.cli.synth;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Generates realistic synthetic multi-hospital cohorts in the official Mexican DGE 2022 layout (the code lists of
 * {@code Catalogos_0412.xlsx}), so that the one-machine demo exercises the same ingest path as real data. Seeded:
 * the same arguments always give the same files.
 * <p>
 * Risk model (logistic): age, pneumonia, intubation, ICU, hospitalisation, confirmed infection and comorbidities
 * (diabetes, hypertension, obesity, CKD, COPD, immunosuppression) raise the risk of death; each hospital has its own
 * case mix (age, comorbidity prevalence, admission threshold) and its own effect on mortality.
 */
public final class SyntheticCohort {

    /** The DGE 2022 columns, in the official order. */
    public static final List<String> COLUMNS = List.of("FECHA_ACTUALIZACION", "ID_REGISTRO", "ORIGEN", "SECTOR",
            "ENTIDAD_UM", "SEXO", "ENTIDAD_NAC", "ENTIDAD_RES", "MUNICIPIO_RES", "TIPO_PACIENTE", "FECHA_INGRESO",
            "FECHA_SINTOMAS", "FECHA_DEF", "INTUBADO", "NEUMONIA", "EDAD", "NACIONALIDAD", "EMBARAZO",
            "HABLA_LENGUA_INDIG", "INDIGENA", "DIABETES", "EPOC", "ASMA", "INMUSUPR", "HIPERTENSION", "OTRA_COM",
            "CARDIOVASCULAR", "OBESIDAD", "RENAL_CRONICA", "TABAQUISMO", "OTRO_CASO", "TOMA_MUESTRA_LAB",
            "RESULTADO_LAB", "TOMA_MUESTRA_ANTIGENO", "RESULTADO_ANTIGENO", "CLASIFICACION_FINAL", "MIGRANTE",
            "PAIS_NACIONALIDAD", "PAIS_ORIGEN", "UCI");

    /**
     * One synthetic hospital.
     *
     * @param state ENTIDAD_UM (two digits)
     * @param sector SECTOR code
     * @param name readable name
     * @param ageMean mean age of its patients
     * @param comorbidity multiplier of comorbidity prevalence
     * @param admission shift of the admission threshold (higher: admits sicker patients only)
     * @param effect hospital effect on the log-odds of death
     */
    public record Hospital(String state, int sector, String name, double ageMean, double comorbidity,
            double admission, double effect) {
        /** The suite's hospital key, MX-{state}-{sector}. */
        public String key() {
            return "MX-" + state + "-" + String.format("%02d", sector);
        }
    }

    /** The demo's four hospitals, matching the demo users of deploy/keycloak. */
    public static final List<Hospital> DEMO_HOSPITALS = List.of(
            new Hospital("09", 4, "Ciudad de México · IMSS", 52, 1.2, 0.0, 0.35),
            new Hospital("15", 12, "Estado de México · SSA", 47, 1.0, 0.3, 0.55),
            new Hospital("19", 9, "Nuevo León · private", 44, 0.8, -0.4, -0.6),
            new Hospital("21", 6, "Puebla · ISSSTE", 55, 1.1, 0.1, 0.0));

    private final long seed;

    public SyntheticCohort(long seed) {
        this.seed = seed;
    }

    /** Writes one CSV per hospital into {@code dir}; returns the files in hospital order. */
    public List<Path> write(Path dir, List<Hospital> hospitals, int patientsPerHospital) throws IOException {
        Files.createDirectories(dir);
        Random random = new Random(seed);
        Set<String> ids = new HashSet<>();
        List<Path> files = new ArrayList<>();
        for (Hospital h : hospitals) {
            Path file = dir.resolve("COVID19MEXICO-synthetic-" + h.key() + ".csv");
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                out.write('\uFEFF'); // the official files start with a BOM
                out.write(String.join(",", COLUMNS.stream().map(c -> "\"" + c + "\"").toList()));
                out.write('\n');
                for (int i = 0; i < patientsPerHospital; i++) {
                    out.write(row(random, h, ids));
                    out.write('\n');
                }
            }
            files.add(file);
        }
        return files;
    }

    private static double logistic(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static String row(Random r, Hospital h, Set<String> ids) {
        String id;
        do {
            id = String.format("s%07x", r.nextInt(0x10000000));
        } while (!ids.add(id));
        int age = (int) Math.max(0, Math.min(105, Math.round(h.ageMean() + r.nextGaussian() * 17)));
        boolean male = r.nextDouble() < 0.55;
        double ageRisk = (age - 50) / 10.0;
        boolean diabetes = r.nextDouble() < h.comorbidity() * logistic(-2.0 + 0.35 * ageRisk);
        boolean hypertension = r.nextDouble() < h.comorbidity() * logistic(-1.6 + 0.45 * ageRisk);
        boolean obesity = r.nextDouble() < h.comorbidity() * 0.17;
        boolean ckd = r.nextDouble() < h.comorbidity() * logistic(-3.6 + 0.3 * ageRisk);
        boolean copd = r.nextDouble() < h.comorbidity() * logistic(-3.8 + 0.4 * ageRisk);
        boolean asthma = r.nextDouble() < 0.03;
        boolean immuno = r.nextDouble() < 0.02 * h.comorbidity();
        boolean cardio = r.nextDouble() < h.comorbidity() * logistic(-3.4 + 0.4 * ageRisk);
        boolean other = r.nextDouble() < 0.03;
        boolean smoker = r.nextDouble() < (male ? 0.12 : 0.05);
        boolean pregnant = !male && age >= 15 && age <= 45 && r.nextDouble() < 0.05;
        double statusDraw = r.nextDouble();
        int classification = statusDraw < 0.55 ? 3 : statusDraw < 0.60 ? 1 : statusDraw < 0.95 ? 7 : 6;
        boolean confirmed = classification <= 3;
        boolean pneumonia = r.nextDouble() < logistic(-2.2 + 0.35 * ageRisk + (confirmed ? 0.9 : 0)
                + (diabetes ? 0.3 : 0) + (obesity ? 0.3 : 0));
        boolean hospitalised = r.nextDouble() < logistic(-2.0 - h.admission() + 0.3 * ageRisk + (pneumonia ? 2.6 : 0)
                + (ckd ? 0.6 : 0));
        boolean intubated = hospitalised && r.nextDouble() < logistic(-3.0 + 0.2 * ageRisk + (pneumonia ? 1.2 : 0));
        boolean icu = hospitalised && r.nextDouble() < logistic(-3.2 + 0.1 * ageRisk + (intubated ? 2.2 : 0));
        double logit = -6.1 + 0.055 * (age - 50) + 1.4 * b(pneumonia) + 1.7 * b(intubated) + 0.8 * b(icu)
                + 1.1 * b(hospitalised) + 0.7 * b(confirmed) + 0.35 * b(diabetes) + 0.25 * b(hypertension)
                + 0.4 * b(obesity) + 0.6 * b(ckd) + 0.4 * b(copd) + 0.5 * b(immuno) + 0.3 * b(male) + h.effect();
        boolean died = r.nextDouble() < logistic(logit);

        LocalDate admitted = LocalDate.of(2021, 1, 4).plusDays(r.nextInt(330));
        LocalDate onset = admitted.minusDays(r.nextInt(11));
        String death = died ? "\"" + admitted.plusDays(1 + r.nextInt(21)) + "\"" : "\"9999-99-99\"";
        boolean usmer = r.nextDouble() < 0.35;
        List<String> v = new ArrayList<>(COLUMNS.size());
        v.add("\"2022-07-14\"");
        v.add("\"" + id + "\"");
        v.add(usmer ? "1" : "2");
        v.add(Integer.toString(h.sector()));
        v.add("\"" + h.state() + "\"");
        v.add(male ? "2" : "1");
        v.add("\"" + h.state() + "\"");
        v.add("\"" + h.state() + "\"");
        v.add("\"" + String.format("%03d", 1 + r.nextInt(20)) + "\"");
        v.add(hospitalised ? "2" : "1");
        v.add("\"" + admitted + "\"");
        v.add("\"" + onset + "\"");
        v.add(death);
        v.add(hospitalised ? yn(r, intubated) : "97");
        v.add(yn(r, pneumonia));
        v.add(Integer.toString(age));
        v.add(r.nextDouble() < 0.995 ? "1" : "2");
        v.add(male ? "97" : yn(r, pregnant));
        v.add(r.nextDouble() < 0.01 ? "1" : "2");
        v.add(r.nextDouble() < 0.02 ? "1" : "2");
        v.add(yn(r, diabetes));
        v.add(yn(r, copd));
        v.add(yn(r, asthma));
        v.add(yn(r, immuno));
        v.add(yn(r, hypertension));
        v.add(yn(r, other));
        v.add(yn(r, cardio));
        v.add(yn(r, obesity));
        v.add(yn(r, ckd));
        v.add(yn(r, smoker));
        v.add(r.nextDouble() < 0.3 ? "1" : r.nextDouble() < 0.9 ? "2" : "99");
        boolean lab = classification != 1 && r.nextDouble() < 0.7;
        v.add(lab ? "1" : "2");
        v.add(lab ? (classification == 3 ? "1" : classification == 7 ? "2" : "3") : "97");
        boolean antigen = !lab;
        v.add(antigen ? "1" : "2");
        v.add(antigen ? (confirmed ? "1" : "2") : "97");
        v.add(Integer.toString(classification));
        v.add("99");
        v.add("\"México\"");
        v.add("\"97\"");
        v.add(hospitalised ? yn(r, icu) : "97");
        return String.join(",", v);
    }

    private static double b(boolean x) {
        return x ? 1 : 0;
    }

    /** 1 yes / 2 no, with 1 % recorded as 98 (unknown), as in the real files. */
    private static String yn(Random r, boolean value) {
        if (r.nextDouble() < 0.01) {
            return "98";
        }
        return value ? "1" : "2";
    }
}
