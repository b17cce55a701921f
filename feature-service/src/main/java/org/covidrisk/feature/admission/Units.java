package org.covidrisk.feature.admission;

import java.util.Map;

/**
 * Conversion of admission measurements to their canonical UCUM unit. Only the conversions these analytes need,
 * written out rather than taken from a units library (javax.measure/Indriya knows no molar masses, so mg/dL of
 * urea or creatinine to mmol/L would still be hand-written here).
 */
final class Units {

    /** Factor from (analyte, unit) to the analyte's canonical unit; the canonical unit itself is 1. */
    private static final Map<String, Double> FACTORS = Map.ofEntries(
            Map.entry("hemoglobin g/dL", 10.0),
            Map.entry("neutrophils 10*3/uL", 1.0), Map.entry("lymphocytes 10*3/uL", 1.0),
            Map.entry("platelets 10*3/uL", 1.0), Map.entry("neutrophils /uL", 1e-3),
            Map.entry("lymphocytes /uL", 1e-3), Map.entry("platelets /uL", 1e-3),
            // urea 60.06 g/mol; blood urea nitrogen (BUN) is reported as urea only by the importer's choice
            Map.entry("urea mg/dL", 10 / 60.06),
            Map.entry("crp mg/dL", 10.0),
            // lactate 90.08 g/mol
            Map.entry("lactate mg/dL", 10 / 90.08),
            Map.entry("po2 kPa", 7.50062), Map.entry("pco2 kPa", 7.50062),
            Map.entry("bicarbonate meq/L", 1.0), Map.entry("sodium meq/L", 1.0),
            // creatinine 113.12 g/mol
            Map.entry("creatinine mg/dL", 88.42),
            Map.entry("d_dimer ug/mL", 1.0), Map.entry("d_dimer ng/mL", 1e-3));

    private Units() {
    }

    /** The value in the canonical unit, or NaN when the unit is not known for the analyte. */
    static double convert(String code, double value, String unit, String canonical) {
        if (unit.equals(canonical) || unit.isEmpty() && canonical.equals("[pH]")) {
            return value;
        }
        if (code.equals("fio2") && unit.equals("1")) {
            return value * 100; // a fraction (0.21-1.0)
        }
        if (code.equals("spo2") && unit.equals("1")) {
            return value * 100;
        }
        if (code.equals("temperature") && unit.equals("[degF]")) {
            return (value - 32) * 5 / 9;
        }
        Double f = FACTORS.get(code + " " + unit);
        return f == null ? Double.NaN : value * f;
    }
}
