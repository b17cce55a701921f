package org.covidrisk.feature;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.covidrisk.feature.v1.FeatureRow;
import org.covidrisk.feature.v1.FeatureSet;
import org.covidrisk.feature.v1.FeatureVariant;
import org.covidrisk.feature.v1.ImputedInput;
import org.covidrisk.feature.v1.MissingValues;
import org.covidrisk.ingest.v1.CovidStatus;
import org.covidrisk.ingest.v1.PatientRecord;
import org.covidrisk.ingest.v1.PatientType;
import org.covidrisk.ingest.v1.Sex;

/**
 * Turns a patient record into the feature vector of a clinical stage, the same way for training and scoring.
 * A missing yes/no input becomes "no" and is listed as imputed; "not applicable" (pregnancy of a man,
 * intubation or ICU of an outpatient) is "no" and not imputed. With {@link MissingValues#MISSING_VALUES_KEEP} a
 * missing input is NaN instead (tree learners; MICE). Strict mode (scoring) refuses a record that lacks a required
 * input of the stage instead of guessing.
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
    private final boolean keep;

    public Featurizer(int stage, boolean strict) {
        this(stage, FeatureVariant.FEATURE_VARIANT_STANDARD, strict, MissingValues.MISSING_VALUES_FILL);
    }

    public Featurizer(int stage, FeatureVariant variant, boolean strict, MissingValues missing) {
        this.set = StageFeatureSets.of(stage, variant);
        this.strict = strict;
        this.keep = missing == MissingValues.MISSING_VALUES_KEEP;
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
        boolean typeUnknown = r.getPatientType() == PatientType.PATIENT_TYPE_UNSPECIFIED;
        boolean covidUnknown = r.getCovidStatus() == CovidStatus.COVID_STATUS_UNSPECIFIED;
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
                        note("sex", imputed);
                        yield keep ? Double.NaN : 0;
                    }
                    yield male ? 1 : 0;
                }
                case "age" -> {
                    if (!r.hasAge()) {
                        note("age", imputed);
                        yield keep ? Double.NaN : AGE_FILL;
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
                case "covid_confirmed" -> covidUnknown && keep
                        ? Double.NaN
                        : r.getCovidStatus() == CovidStatus.COVID_STATUS_CONFIRMED ? 1 : 0;
                case "covid_pending" -> {
                    if (covidUnknown) {
                        note("covid_status", imputed);
                        yield keep ? Double.NaN : 0;
                    }
                    yield r.getCovidStatus() == CovidStatus.COVID_STATUS_PENDING ? 1 : 0;
                }
                case "pneumonia" -> yn(r.hasPneumonia(), r.getPneumonia(), name, imputed);
                case "hospitalised" -> {
                    if (typeUnknown) {
                        note("patient_type", imputed);
                        yield keep ? Double.NaN : 0;
                    }
                    yield hospitalised ? 1 : 0;
                }
                // an outpatient is not intubated; an unknown patient type with no answer stays unknown when kept
                case "intubated" -> hospitalised || (typeUnknown && keep)
                        ? yn(r.hasIntubated(), r.getIntubated(), name, imputed)
                        : 0;
                case "icu" -> hospitalised || (typeUnknown && keep) ? yn(r.hasIcu(), r.getIcu(), name, imputed) : 0;
                default -> {
                    if (name.startsWith("sector_")) {
                        yield r.getSector() == Integer.parseInt(name.substring(7)) ? 1 : 0;
                    }
                    if (name.startsWith("state_unit_")) {
                        yield state(r.getStateOfUnit(), name, "state_of_unit", imputed);
                    }
                    if (name.startsWith("state_birth_")) {
                        yield state(r.getStateOfBirth(), name, "state_of_birth", imputed);
                    }
                    if (name.startsWith("state_residence_")) {
                        yield state(r.getStateOfResidence(), name, "state_of_residence", imputed);
                    }
                    throw new IllegalStateException("no rule for feature " + name);
                }
            };
        }
        FeatureRow.Builder row = FeatureRow.newBuilder().setPatientId(r.getPatientId()).setHospital(r.getHospital())
                .setDied(r.getDied()).addAllImputed(imputed);
        for (String input : imputed) {
            row.addImputedInputs(ImputedInput.newBuilder().setInput(input).setMethod(keep ? "missing" : "default"));
        }
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

    private double yn(boolean present, boolean value, String name, List<String> imputed) {
        if (!present) {
            imputed.add(name);
            return keep ? Double.NaN : 0;
        }
        return value ? 1 : 0;
    }

    /** Records a missing input once, however many features it feeds. */
    private static void note(String input, List<String> imputed) {
        if (!imputed.contains(input)) {
            imputed.add(input);
        }
    }

    /**
     * One state indicator. An empty code is missing; a code outside 01-32 (abroad, 97-99) is a known "no state"
     * and sets no indicator.
     */
    private double state(String code, String feature, String input, List<String> imputed) {
        if (code.isEmpty()) {
            note(input, imputed);
            return keep ? Double.NaN : 0;
        }
        return feature.endsWith("_" + code) ? 1 : 0;
    }

    private double days(PatientRecord r, List<String> imputed) {
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
        return keep ? Double.NaN : 0;
    }
}
