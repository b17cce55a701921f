package org.covidrisk.ingest.admission;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * The comorbidities, vital signs and laboratory analytes an admission record may carry, with their canonical UCUM
 * unit (the one feature-service's admission features use), the units accepted and how each converts, and the
 * range a canonical value must fall in. Ranges only catch impossible values (most often a wrong unit), not
 * abnormal ones. Written out rather than taken from a units library: javax.measure/Indriya knows no molar
 * masses, so mg/dL of urea or creatinine to mmol/L or umol/L would be hand-written either way.
 */
public final class Analytes {

    /** One analyte: code, kind, canonical unit, accepted units, canonical range. */
    public record Analyte(String code, Admission.Kind kind, String unit, String description, double min, double max,
            Map<String, DoubleUnaryOperator> units) {
    }

    /**
     * The canonical value of a measurement, or why there is none.
     *
     * @param problem null when the value converted and lies in range
     */
    public record Canonical(double value, String problem) {
    }

    /** Comorbidity and habit codes (present / absent / unknown), in feature-service order. */
    public static final List<String> COMORBIDITIES = List.of("hypertension", "diabetes", "obesity", "heart_failure",
            "coronary_artery_disease", "copd", "asthma", "chronic_kidney_disease", "cancer", "cirrhosis", "smoker");

    /** Longest unit kept as given. */
    public static final int MAX_UNIT_LENGTH = 32;

    private static final Map<String, Analyte> ALL = new LinkedHashMap<>();

    static {
        DoubleUnaryOperator same = v -> v;
        DoubleUnaryOperator fraction = v -> v * 100;
        DoubleUnaryOperator perUl = v -> v * 1e-3;
        DoubleUnaryOperator kPa = v -> v * 7.50062;
        vital("heart_rate", "/min", "heart rate", 0, 300, Map.of("/min", same));
        vital("respiratory_rate", "/min", "respiratory rate", 0, 100, Map.of("/min", same));
        vital("systolic_bp", "mm[Hg]", "systolic blood pressure", 0, 300, Map.of("mm[Hg]", same));
        vital("temperature", "Cel", "body temperature", 25, 45, Map.of("Cel", same, "[degF]",
                v -> (v - 32) * 5 / 9));
        vital("spo2", "%", "peripheral oxygen saturation", 0, 100, Map.of("%", same, "1", fraction));
        vital("fio2", "%", "fraction of inspired oxygen (21 on room air)", 21, 100, Map.of("%", same, "1",
                fraction));
        lab("neutrophils", "10*9/L", "neutrophil count", 0, 500, Map.of("10*9/L", same, "10*3/uL", same, "/uL",
                perUl));
        lab("lymphocytes", "10*9/L", "lymphocyte count", 0, 500, Map.of("10*9/L", same, "10*3/uL", same, "/uL",
                perUl));
        lab("platelets", "10*9/L", "platelet count", 0, 5000, Map.of("10*9/L", same, "10*3/uL", same, "/uL",
                perUl));
        lab("hemoglobin", "g/L", "hemoglobin", 0, 300, Map.of("g/L", same, "g/dL", v -> v * 10));
        // urea 60.06 g/mol
        lab("urea", "mmol/L", "urea", 0, 300, Map.of("mmol/L", same, "mg/dL", v -> v * 10 / 60.06));
        lab("crp", "mg/L", "C-reactive protein", 0, 1000, Map.of("mg/L", same, "mg/dL", v -> v * 10));
        // lactate 90.08 g/mol
        lab("lactate", "mmol/L", "lactate", 0, 50, Map.of("mmol/L", same, "mg/dL", v -> v * 10 / 90.08));
        lab("ph", "[pH]", "arterial pH", 6, 8, Map.of("[pH]", same, "", same));
        lab("po2", "mm[Hg]", "arterial partial pressure of oxygen", 0, 1000, Map.of("mm[Hg]", same, "kPa", kPa));
        lab("pco2", "mm[Hg]", "arterial partial pressure of carbon dioxide", 0, 300, Map.of("mm[Hg]", same, "kPa",
                kPa));
        lab("bicarbonate", "mmol/L", "bicarbonate", 0, 100, Map.of("mmol/L", same, "meq/L", same));
        lab("sodium", "mmol/L", "sodium", 50, 250, Map.of("mmol/L", same, "meq/L", same));
        // creatinine 113.12 g/mol
        lab("creatinine", "umol/L", "creatinine", 0, 5000, Map.of("umol/L", same, "mg/dL", v -> v * 88.42));
        lab("ldh", "U/L", "lactate dehydrogenase", 0, 50000, Map.of("U/L", same));
        lab("d_dimer", "mg/L", "D-dimer (fibrinogen-equivalent units)", 0, 1000, Map.of("mg/L", same, "ug/mL", same,
                "ng/mL", perUl));
    }

    private Analytes() {
    }

    private static void vital(String code, String unit, String description, double min, double max,
            Map<String, DoubleUnaryOperator> units) {
        ALL.put(code, new Analyte(code, Admission.Kind.VITAL, unit, description, min, max, units));
    }

    private static void lab(String code, String unit, String description, double min, double max,
            Map<String, DoubleUnaryOperator> units) {
        ALL.put(code, new Analyte(code, Admission.Kind.LAB, unit, description, min, max, units));
    }

    /** Every vital sign and laboratory analyte, vitals first, in feature-service order. */
    public static List<Analyte> all() {
        return List.copyOf(ALL.values());
    }

    /** The analyte of this code, or null. */
    public static Analyte get(String code) {
        return ALL.get(code);
    }

    /**
     * UCUM annotations in braces carry no unit ({@code {beats}/min} is {@code /min}); blanks around the unit are
     * not part of it.
     */
    public static String normalise(String unit) {
        return unit.replaceAll("\\{[^}]*}", "").strip();
    }

    /**
     * Converts a measurement to the analyte's canonical unit and checks its range. The problem never echoes the
     * value nor the unit given (a file may put anything in a unit column).
     */
    public static Canonical canonical(Analyte a, double value, String unit) {
        if (unit.length() > MAX_UNIT_LENGTH) {
            return new Canonical(Double.NaN, "unit is longer than " + MAX_UNIT_LENGTH + " characters");
        }
        String u = normalise(unit);
        DoubleUnaryOperator f = a.units().get(u);
        if (f == null) {
            return new Canonical(Double.NaN, "unit is not one of " + a.units().keySet()
                    .stream().map(x -> x.isEmpty() ? "(none)" : x).sorted().toList() + " for " + a.code());
        }
        if (!Double.isFinite(value)) {
            return new Canonical(Double.NaN, "is not a finite number");
        }
        double v = f.applyAsDouble(value);
        if (v < a.min() || v > a.max()) {
            return new Canonical(v, "is outside the possible range " + fmt(a.min()) + "-" + fmt(a.max()) + " "
                    + a.unit() + " of " + a.code());
        }
        return new Canonical(v, null);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
