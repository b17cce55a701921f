package org.covidrisk.ingest.admission;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The codes the FHIR importer understands: LOINC codes of Observations (vital signs and laboratory results) and
 * SNOMED CT / ICD-10 codes of Conditions (comorbidities, and COVID-19 itself for the symptom onset). Any other
 * code is ignored: a bundle carries far more than the admission features use. The README lists these tables.
 */
public final class FhirCodes {

    public static final String LOINC = "http://loinc.org";
    public static final String SNOMED = "http://snomed.info/sct";
    /** ICD-10 (WHO) and its US clinical modification: the codes used here are the same in both. */
    public static final Set<String> ICD10 = Set.of("http://hl7.org/fhir/sid/icd-10",
            "http://hl7.org/fhir/sid/icd-10-cm");
    public static final String UCUM = "http://unitsofmeasure.org";

    /**
     * A LOINC code's analyte.
     *
     * @param bloodUreaNitrogen the code reports urea nitrogen (BUN, mg/dL), converted to urea: 1 mmol of urea
     *        carries 28.014 mg of nitrogen
     */
    public record Loinc(String code, String analyte, String display, boolean bloodUreaNitrogen) {
    }

    /** LOINC code to analyte. */
    public static final Map<String, Loinc> LOINC_CODES = loinc(new String[][]{
            {"8867-4", "heart_rate", "Heart rate"},
            {"9279-1", "respiratory_rate", "Respiratory rate"},
            {"8480-6", "systolic_bp", "Systolic blood pressure (also as a component of 85354-9)"},
            {"8310-5", "temperature", "Body temperature"},
            {"59408-5", "spo2", "Oxygen saturation in Arterial blood by Pulse oximetry"},
            {"2708-6", "spo2", "Oxygen saturation in Arterial blood"},
            {"3150-0", "fio2", "Inhaled oxygen concentration"},
            {"751-8", "neutrophils", "Neutrophils [#/volume] in Blood by Automated count"},
            {"731-0", "lymphocytes", "Lymphocytes [#/volume] in Blood by Automated count"},
            {"777-3", "platelets", "Platelets [#/volume] in Blood by Automated count"},
            {"718-7", "hemoglobin", "Hemoglobin [Mass/volume] in Blood"},
            {"3091-6", "urea", "Urea [Mass/volume] in Serum or Plasma"},
            {"3094-0", "urea", "Urea nitrogen [Mass/volume] in Serum or Plasma (BUN; mg/dL, converted to urea)"},
            {"1988-5", "crp", "C reactive protein [Mass/volume] in Serum or Plasma"},
            {"30522-7", "crp", "C reactive protein [Mass/volume] in Serum or Plasma by High sensitivity method"},
            {"2524-7", "lactate", "Lactate [Moles/volume] in Serum or Plasma"},
            {"32693-4", "lactate", "Lactate [Moles/volume] in Blood"},
            {"2744-1", "ph", "pH of Arterial blood"},
            {"2703-7", "po2", "Oxygen [Partial pressure] in Arterial blood"},
            {"2019-8", "pco2", "Carbon dioxide [Partial pressure] in Arterial blood"},
            {"1960-4", "bicarbonate", "Bicarbonate [Moles/volume] in Arterial blood"},
            {"1963-8", "bicarbonate", "Bicarbonate [Moles/volume] in Serum or Plasma"},
            {"2951-2", "sodium", "Sodium [Moles/volume] in Serum or Plasma"},
            {"2160-0", "creatinine", "Creatinine [Mass/volume] in Serum or Plasma"},
            {"14682-9", "creatinine", "Creatinine [Moles/volume] in Serum or Plasma"},
            {"2532-0", "ldh", "Lactate dehydrogenase [Enzymatic activity/volume] in Serum or Plasma"},
            {"14804-9", "ldh", "Lactate dehydrogenase [Enzymatic activity/volume] in Serum or Plasma by Lactate "
                    + "to pyruvate reaction"},
            {"48065-7", "d_dimer", "Fibrin D-dimer FEU [Mass/volume] in Platelet poor plasma"}});

    /** The blood pressure panel whose systolic component (8480-6) is read. */
    public static final String BLOOD_PRESSURE_PANEL = "85354-9";

    /** SNOMED CT concept to comorbidity code. */
    public static final Map<String, String> SNOMED_CODES = Map.ofEntries(
            Map.entry("38341003", "hypertension"),
            Map.entry("73211009", "diabetes"), Map.entry("44054006", "diabetes"), Map.entry("46635009", "diabetes"),
            Map.entry("414916001", "obesity"),
            Map.entry("84114007", "heart_failure"),
            Map.entry("53741008", "coronary_artery_disease"), Map.entry("414545008", "coronary_artery_disease"),
            Map.entry("13645005", "copd"),
            Map.entry("195967001", "asthma"),
            Map.entry("709044004", "chronic_kidney_disease"),
            Map.entry("363346000", "cancer"),
            Map.entry("19943007", "cirrhosis"),
            Map.entry("77176002", "smoker"));

    /** ICD-10 code prefixes (dots removed) to comorbidity code, most specific first. */
    public static final List<String[]> ICD10_PREFIXES = List.of(
            new String[]{"I10", "hypertension"}, new String[]{"I11", "hypertension"},
            new String[]{"I12", "hypertension"}, new String[]{"I13", "hypertension"},
            new String[]{"I15", "hypertension"},
            new String[]{"E10", "diabetes"}, new String[]{"E11", "diabetes"}, new String[]{"E12", "diabetes"},
            new String[]{"E13", "diabetes"}, new String[]{"E14", "diabetes"},
            new String[]{"E66", "obesity"},
            new String[]{"I50", "heart_failure"},
            new String[]{"I20", "coronary_artery_disease"}, new String[]{"I21", "coronary_artery_disease"},
            new String[]{"I22", "coronary_artery_disease"}, new String[]{"I23", "coronary_artery_disease"},
            new String[]{"I24", "coronary_artery_disease"}, new String[]{"I25", "coronary_artery_disease"},
            new String[]{"J44", "copd"},
            new String[]{"J45", "asthma"}, new String[]{"J46", "asthma"},
            new String[]{"N18", "chronic_kidney_disease"},
            new String[]{"K703", "cirrhosis"}, new String[]{"K74", "cirrhosis"},
            new String[]{"F17", "smoker"}, new String[]{"Z720", "smoker"},
            new String[]{"C", "cancer"});

    /** COVID-19: its Condition's onset is the symptom onset. SNOMED CT 840539006, ICD-10 U07.1. */
    public static final String COVID_SNOMED = "840539006";
    public static final String COVID_ICD10 = "U071";

    /** Discharge disposition (http://terminology.hl7.org/CodeSystem/discharge-disposition) meaning death. */
    public static final String EXPIRED = "exp";

    private FhirCodes() {
    }

    /** The comorbidity of a Condition coding, or null. */
    public static String comorbidity(String system, String code) {
        if (code == null) {
            return null;
        }
        if (SNOMED.equals(system)) {
            return SNOMED_CODES.get(code);
        }
        if (system != null && ICD10.contains(system)) {
            String c = code.replace(".", "").toUpperCase(java.util.Locale.ROOT);
            for (String[] p : ICD10_PREFIXES) {
                if (c.startsWith(p[0])) {
                    return p[1];
                }
            }
        }
        return null;
    }

    /** Whether a Condition coding is COVID-19. */
    public static boolean isCovid(String system, String code) {
        return code != null && (SNOMED.equals(system) && COVID_SNOMED.equals(code) || system != null && ICD10
                .contains(system) && code.replace(".", "").equalsIgnoreCase(COVID_ICD10));
    }

    private static Map<String, Loinc> loinc(String[][] rows) {
        Map<String, Loinc> m = new LinkedHashMap<>();
        for (String[] r : rows) {
            m.put(r[0], new Loinc(r[0], r[1], r[2], r[0].equals("3094-0")));
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
