package org.covidrisk.feature;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.covidrisk.feature.v1.FeatureRow;
import org.covidrisk.feature.v1.FeatureSet;
import org.covidrisk.ingest.v1.CovidStatus;
import org.covidrisk.ingest.v1.PatientRecord;
import org.covidrisk.ingest.v1.PatientType;
import org.covidrisk.ingest.v1.Sex;

/**
 * Turns a patient record into the feature vector of a clinical stage, the same way for training and scoring.
 * A missing yes/no input becomes "no" and is listed as imputed; "not applicable" (pregnancy of a man,
 * intubation or ICU of an outpatient) is "no" and not imputed. Strict mode (scoring) refuses a record that
 * lacks a required input of the stage instead of guessing.
 */
public final class Featurizer {

    /** Raised in strict mode: the named inputs are required at this stage but missing. */
    public static final class MissingInputsException extends RuntimeException {
        private final List<String> missing;

        public MissingInputsException(int stage, List<String> missing) {
            super("stage " + stage + " needs " + String.join(", ", missing));
            this.missing = List.copyOf(missing);
        }

        public List<String> missing() {
            return missing;
        }
    }

    /** Age used when it is missing outside strict mode: the adult median of the DGE cut. */
    static final double AGE_FILL = 45;
    static final int MAX_DAYS = 60;

    private final FeatureSet set;
    private final boolean strict;

    public Featurizer(int stage, boolean strict) {
        this.set = StageFeatureSets.of(stage);
        this.strict = strict;
    }

    public FeatureSet featureSet() {
        return set;
    }

    public FeatureRow featurize(PatientRecord r) {
        if (strict) {
            List<String> missing = missingRequired(r);
            if (!missing.isEmpty()) {
                throw new MissingInputsException(set.getStage(), missing);
            }
        }
        boolean male = r.getSex() == Sex.SEX_MALE;
        boolean hospitalised = r.getPatientType() == PatientType.PATIENT_TYPE_HOSPITALISED;
        List<String> imputed = new ArrayList<>();
        double[] v = new double[set.getFeaturesCount()];
        for (int i = 0; i < v.length; i++) {
            String name = set.getFeatures(i).getName();
            v[i] = switch (name) {
                case "diabetes" -> yn(r.hasDiabetes(), r.getDiabetes(), name, imputed);
                case "copd" -> yn(r.hasCopd(), r.getCopd(), name, imputed);
                case "asthma" -> yn(r.hasAsthma(), r.getAsthma(), name, imputed);
                case "immunosuppressed" -> yn(r.hasImmunosuppressed(), r.getImmunosuppressed(), name, imputed);
                case "hypertension" -> yn(r.hasHypertension(), r.getHypertension(), name, imputed);
                case "other_disease" -> yn(r.hasOtherDisease(), r.getOtherDisease(), name, imputed);
                case "cardiovascular" -> yn(r.hasCardiovascular(), r.getCardiovascular(), name, imputed);
                case "obesity" -> yn(r.hasObesity(), r.getObesity(), name, imputed);
                case "chronic_kidney_disease" -> yn(r.hasChronicKidneyDisease(), r.getChronicKidneyDisease(), name,
                        imputed);
                case "smoker" -> yn(r.hasSmoker(), r.getSmoker(), name, imputed);
                case "pregnant" -> male ? 0 : yn(r.hasPregnant(), r.getPregnant(), name, imputed);
                case "male" -> {
                    if (r.getSex() == Sex.SEX_UNSPECIFIED) {
                        imputed.add("sex");
                    }
                    yield male ? 1 : 0;
                }
                case "age" -> {
                    if (!r.hasAge()) {
                        imputed.add("age");
                        yield AGE_FILL;
                    }
                    yield r.getAge();
                }
                case "indigenous_language" -> yn(r.hasIndigenousLanguage(), r.getIndigenousLanguage(), name,
                        imputed);
                case "mexican_national" -> r.hasMexicanNational() ? (r.getMexicanNational() ? 1 : 0) : 1;
                case "usmer" -> r.getUsmer() ? 1 : 0;
                case "days_onset_to_care" -> days(r, imputed);
                case "contact_with_case" -> yn(r.hasContactWithCase(), r.getContactWithCase(), name, imputed);
                case "sector_other" -> isOtherSector(r.getSector()) ? 1 : 0;
                case "covid_confirmed" -> r.getCovidStatus() == CovidStatus.COVID_STATUS_CONFIRMED ? 1 : 0;
                case "covid_pending" -> {
                    if (r.getCovidStatus() == CovidStatus.COVID_STATUS_UNSPECIFIED) {
                        imputed.add("covid_status");
                    }
                    yield r.getCovidStatus() == CovidStatus.COVID_STATUS_PENDING ? 1 : 0;
                }
                case "pneumonia" -> yn(r.hasPneumonia(), r.getPneumonia(), name, imputed);
                case "hospitalised" -> {
                    if (r.getPatientType() == PatientType.PATIENT_TYPE_UNSPECIFIED) {
                        imputed.add("patient_type");
                    }
                    yield hospitalised ? 1 : 0;
                }
                case "intubated" -> hospitalised ? yn(r.hasIntubated(), r.getIntubated(), name, imputed) : 0;
                case "icu" -> hospitalised ? yn(r.hasIcu(), r.getIcu(), name, imputed) : 0;
                default -> {
                    if (name.startsWith("sector_")) {
                        yield r.getSector() == Integer.parseInt(name.substring(7)) ? 1 : 0;
                    }
                    throw new IllegalStateException("no rule for feature " + name);
                }
            };
        }
        FeatureRow.Builder row = FeatureRow.newBuilder().setPatientId(r.getPatientId()).setHospital(r.getHospital())
                .setDied(r.getDied()).addAllImputed(imputed);
        for (double x : v) {
            row.addValues(x);
        }
        return row.build();
    }

    /** Required inputs of this stage that the record lacks (not-applicable values do not count as missing). */
    public List<String> missingRequired(PatientRecord r) {
        List<String> missing = new ArrayList<>();
        boolean hospitalised = r.getPatientType() == PatientType.PATIENT_TYPE_HOSPITALISED;
        for (String input : set.getRequiredInputsList()) {
            boolean absent = switch (input) {
                case "age" -> !r.hasAge();
                case "sex" -> r.getSex() == Sex.SEX_UNSPECIFIED;
                case "covid_status" -> r.getCovidStatus() == CovidStatus.COVID_STATUS_UNSPECIFIED;
                case "pneumonia" -> !r.hasPneumonia();
                case "patient_type" -> r.getPatientType() == PatientType.PATIENT_TYPE_UNSPECIFIED;
                case "intubated" -> hospitalised && !r.hasIntubated();
                case "icu" -> hospitalised && !r.hasIcu();
                default -> false;
            };
            if (absent) {
                missing.add(input);
            }
        }
        return missing;
    }

    private static boolean isOtherSector(int sector) {
        for (int s : StageFeatureSets.SECTORS) {
            if (s == sector) {
                return false;
            }
        }
        return true;
    }

    private static double yn(boolean present, boolean value, String name, List<String> imputed) {
        if (!present) {
            imputed.add(name);
            return 0;
        }
        return value ? 1 : 0;
    }

    private static double days(PatientRecord r, List<String> imputed) {
        try {
            if (!r.getAdmissionDate().isEmpty() && !r.getSymptomOnsetDate().isEmpty()) {
                long d = ChronoUnit.DAYS.between(LocalDate.parse(r.getSymptomOnsetDate()),
                        LocalDate.parse(r.getAdmissionDate()));
                return Math.max(0, Math.min(MAX_DAYS, d));
            }
        } catch (DateTimeParseException e) {
            // falls through to imputation: a malformed date is treated as missing
        }
        imputed.add("days_onset_to_care");
        return 0;
    }
}
