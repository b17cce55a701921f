package org.covidrisk.feature.admission;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.covidrisk.feature.v1.FeatureRow;
import org.covidrisk.feature.v1.FeatureSet;
import org.covidrisk.feature.v1.FeatureSpec;
import org.covidrisk.feature.v1.ImputedInput;
import org.covidrisk.ingest.v1.AdmissionOutcome;
import org.covidrisk.ingest.v1.AdmissionRecord;
import org.covidrisk.ingest.v1.Comorbidity;
import org.covidrisk.ingest.v1.Measurement;
import org.covidrisk.ingest.v1.Sex;

/**
 * Admission features of the stacking paper (Scientific Reports 2023, "Variables"): age, days from symptom onset,
 * comorbidities, mechanical ventilation, vital signs, laboratory results and the ratios neutrophils/lymphocytes
 * and SpO2/FiO2, each with a name, type and canonical unit. A measurement in another unit is converted
 * ({@link Units}); an unknown unit fails rather than mixing scales. Missing stays NaN and is listed: tree learners
 * take it as it is, the others impute it with MICE (FitImputer / Impute). The earliest value of each analyte is
 * used (the one closest to presentation).
 */
public final class AdmissionFeaturizer {

    /** Comorbidity and habit codes, in feature order. */
    public static final List<String> COMORBIDITIES = List.of("hypertension", "diabetes", "obesity", "heart_failure",
            "coronary_artery_disease", "copd", "asthma", "chronic_kidney_disease", "cancer", "cirrhosis", "smoker");

    /** Vital signs with canonical units and descriptions. */
    public static final Map<String, String[]> VITALS = ordered(new String[][]{
            {"heart_rate", "/min", "heart rate"}, {"respiratory_rate", "/min", "respiratory rate"},
            {"systolic_bp", "mm[Hg]", "systolic blood pressure"}, {"temperature", "Cel", "body temperature"},
            {"spo2", "%", "peripheral oxygen saturation"},
            {"fio2", "%", "fraction of inspired oxygen (21 % on room air)"}});

    /** Laboratory analytes with canonical units and descriptions. */
    public static final Map<String, String[]> LABS = ordered(new String[][]{
            {"neutrophils", "10*9/L", "neutrophil count"}, {"lymphocytes", "10*9/L", "lymphocyte count"},
            {"platelets", "10*9/L", "platelet count"}, {"hemoglobin", "g/L", "hemoglobin"},
            {"urea", "mmol/L", "urea"}, {"crp", "mg/L", "C-reactive protein"}, {"lactate", "mmol/L", "lactate"},
            {"ph", "[pH]", "arterial pH"}, {"po2", "mm[Hg]", "arterial partial pressure of oxygen"},
            {"pco2", "mm[Hg]", "arterial partial pressure of carbon dioxide"},
            {"bicarbonate", "mmol/L", "bicarbonate"}, {"sodium", "mmol/L", "sodium"},
            {"creatinine", "umol/L", "creatinine"}, {"ldh", "U/L", "lactate dehydrogenase"},
            {"d_dimer", "mg/L", "D-dimer (FEU)"}});

    private static final FeatureSet SET = buildSet();

    /** Raised for a measurement that cannot be used (unknown analyte or unit); names the field. */
    public static final class InvalidMeasurementException extends RuntimeException {
        private final String field;

        public InvalidMeasurementException(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    public FeatureSet featureSet() {
        return SET;
    }

    public FeatureRow featurize(AdmissionRecord r) {
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("age", r.hasAge() ? r.getAge() : Double.NaN);
        v.put("male", r.getSex() == Sex.SEX_UNSPECIFIED ? Double.NaN : r.getSex() == Sex.SEX_MALE ? 1.0 : 0.0);
        v.put("days_from_onset", daysFromOnset(r));
        v.put("mechanical_ventilation", r.hasMechanicalVentilation()
                ? (r.getMechanicalVentilation() ? 1.0 : 0.0)
                : Double.NaN);
        for (String c : COMORBIDITIES) {
            v.put(c, Double.NaN);
        }
        for (int i = 0; i < r.getComorbiditiesCount(); i++) {
            Comorbidity c = r.getComorbidities(i);
            if (!COMORBIDITIES.contains(c.getCode())) {
                throw new InvalidMeasurementException("comorbidities[" + i + "]", "unknown comorbidity code '"
                        + c.getCode() + "'");
            }
            v.put(c.getCode(), c.getPresent() ? 1.0 : 0.0);
        }
        Map<String, Double> vitals = earliest(r.getVitalsList(), VITALS, "vitals");
        Map<String, Double> labs = earliest(r.getLabsList(), LABS, "labs");
        for (String k : VITALS.keySet()) {
            v.put(k, vitals.getOrDefault(k, Double.NaN));
        }
        for (String k : LABS.keySet()) {
            v.put(k, labs.getOrDefault(k, Double.NaN));
        }
        double lymph = v.get("lymphocytes");
        // a zero count is not a measurement one can divide by: the ratio is unknown, not infinite
        v.put("neutrophil_lymphocyte_ratio", lymph > 0 ? v.get("neutrophils") / lymph : Double.NaN);
        double fio2 = v.get("fio2");
        v.put("spo2_fio2_ratio", fio2 > 0 ? v.get("spo2") / (fio2 / 100) : Double.NaN);

        FeatureRow.Builder row = FeatureRow.newBuilder().setPatientId(r.getPatientId()).setHospital(r.getHospital())
                .setDied(r.getOutcome() == AdmissionOutcome.ADMISSION_OUTCOME_DIED);
        for (FeatureSpec s : SET.getFeaturesList()) {
            double x = v.get(s.getName());
            row.addValues(x);
            if (Double.isNaN(x)) {
                row.addImputed(s.getName());
                row.addImputedInputs(ImputedInput.newBuilder().setInput(s.getName()).setMethod("missing"));
            }
        }
        return row.build();
    }

    private static double daysFromOnset(AdmissionRecord r) {
        if (r.getSymptomOnsetDate().isEmpty() || r.getAdmissionTime().isEmpty()) {
            return Double.NaN;
        }
        try {
            LocalDate admitted = r.getAdmissionTime().length() > 10
                    ? LocalDateTime.parse(r.getAdmissionTime()).toLocalDate()
                    : LocalDate.parse(r.getAdmissionTime());
            long d = ChronoUnit.DAYS.between(LocalDate.parse(r.getSymptomOnsetDate()), admitted);
            // onset after admission (nosocomial or a typing error) is not a delay to care
            return d < 0 ? Double.NaN : d;
        } catch (DateTimeParseException e) {
            throw new InvalidMeasurementException("admission_time", "admission time or onset date is not ISO-8601");
        }
    }

    private static Map<String, Double> earliest(List<Measurement> list, Map<String, String[]> known, String field) {
        Map<String, Measurement> first = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            Measurement m = list.get(i);
            if (!known.containsKey(m.getCode())) {
                throw new InvalidMeasurementException(field + "[" + i + "]", "unknown analyte '" + m.getCode() + "'");
            }
            Measurement seen = first.get(m.getCode());
            // empty time = at presentation, i.e. earliest; ISO strings of one layout sort by time
            Comparator<Measurement> byTime = Comparator.comparing(x -> x.getTime().isEmpty() ? "" : x.getTime());
            if (seen == null || byTime.compare(m, seen) < 0) {
                first.put(m.getCode(), m);
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (Measurement m : first.values()) {
            String canonical = known.get(m.getCode())[0];
            double value = Units.convert(m.getCode(), m.getValue(), m.getUnit(), canonical);
            if (Double.isNaN(value)) {
                throw new InvalidMeasurementException(field + "." + m.getCode(), "unit '" + m.getUnit()
                        + "' of " + m.getCode() + " cannot be converted to " + canonical);
            }
            out.put(m.getCode(), value);
        }
        return out;
    }

    private static FeatureSet buildSet() {
        List<FeatureSpec> f = new ArrayList<>();
        f.add(spec("age", "continuous", "a", "age at admission"));
        f.add(spec("male", "binary", "", "sex (1 male, 0 female)"));
        f.add(spec("days_from_onset", "continuous", "d", "days from symptom onset to admission"));
        f.add(spec("mechanical_ventilation", "binary", "", "mechanical ventilation at presentation"));
        for (String c : COMORBIDITIES) {
            f.add(spec(c, "binary", "", "comorbidity or habit: " + c.replace('_', ' ')));
        }
        VITALS.forEach((k, u) -> f.add(spec(k, "continuous", u[0], "vital sign: " + u[1])));
        LABS.forEach((k, u) -> f.add(spec(k, "continuous", u[0], "laboratory: " + u[1])));
        f.add(spec("neutrophil_lymphocyte_ratio", "continuous", "1", "neutrophil count / lymphocyte count"));
        f.add(spec("spo2_fio2_ratio", "continuous", "1", "SpO2 (%) / FiO2 (fraction), e.g. 98 / 0.21 = 467"));
        return FeatureSet.newBuilder().setName("admission-v1").setStage(3).addAllFeatures(f).build();
    }

    /** Every admission feature is known at hospital presentation: stage 3 of the PLOS stages. */
    private static FeatureSpec spec(String name, String type, String unit, String description) {
        return FeatureSpec.newBuilder().setName(name).setType(type).setUnit(unit).setKnownFromStage(3)
                .setDescription(description).build();
    }

    private static Map<String, String[]> ordered(String[][] rows) {
        Map<String, String[]> m = new LinkedHashMap<>();
        for (String[] r : rows) {
            m.put(r[0], new String[]{r[1], r[2]});
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
