package org.covidrisk.gateway.mapping;

import java.time.LocalDate;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.covidrisk.ingest.v1.CovidStatus;
import org.covidrisk.ingest.v1.PatientRecord;
import org.covidrisk.ingest.v1.PatientType;
import org.covidrisk.ingest.v1.Sex;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What a clinician enters to score a patient who is not (yet) stored. Leave a field null when it is unknown: the
 * score lists what it had to impute, and refuses when the stage needs it. The hospital is always the caller's.
 */
@Schema(description = "Patient data entered at the bedside; null means unknown")
public record AdmissionInput(
        @Schema(description = "optional local reference, echoed back") String reference,
        @NotNull @Min(0) @Max(130) Integer age,
        @NotNull @Pattern(regexp = "female|male", message = "must be female or male") String sex,
        @Min(0) @Max(60) @Schema(description = "days from symptom onset to first care") Integer daysFromSymptomOnset,
        @Pattern(regexp = "confirmed|negative|pending", message = "must be confirmed, negative or pending") String covidStatus,
        Boolean pneumonia,
        Boolean hospitalised,
        Boolean intubated,
        Boolean icu,
        Boolean diabetes,
        Boolean copd,
        Boolean asthma,
        Boolean immunosuppressed,
        Boolean hypertension,
        Boolean otherDisease,
        Boolean cardiovascular,
        Boolean obesity,
        Boolean chronicKidneyDisease,
        Boolean smoker,
        Boolean pregnant,
        Boolean contactWithCase,
        @Min(1) @Max(99) @Schema(description = "institution code (DGE SECTOR)") Integer sector,
        @Schema(description = "sentinel (USMER) unit") Boolean usmer) {

    /** The contract record; the hospital is set downstream from the caller's token. */
    public PatientRecord toRecord() {
        PatientRecord.Builder b = PatientRecord.newBuilder().setPatientId(reference == null ? "" : reference)
                .setSource("API");
        b.setAge(age);
        b.setSex("male".equals(sex) ? Sex.SEX_MALE : Sex.SEX_FEMALE);
        LocalDate today = LocalDate.now();
        b.setAdmissionDate(today.toString());
        if (daysFromSymptomOnset != null) {
            b.setSymptomOnsetDate(today.minusDays(daysFromSymptomOnset).toString());
        }
        if (covidStatus != null) {
            b.setCovidStatus(switch (covidStatus) {
                case "confirmed" -> CovidStatus.COVID_STATUS_CONFIRMED;
                case "negative" -> CovidStatus.COVID_STATUS_NEGATIVE;
                default -> CovidStatus.COVID_STATUS_PENDING;
            });
        }
        if (hospitalised != null) {
            b.setPatientType(
                    hospitalised ? PatientType.PATIENT_TYPE_HOSPITALISED : PatientType.PATIENT_TYPE_OUTPATIENT);
        }
        if (pneumonia != null) {
            b.setPneumonia(pneumonia);
        }
        if (intubated != null) {
            b.setIntubated(intubated);
        }
        if (icu != null) {
            b.setIcu(icu);
        }
        if (diabetes != null) {
            b.setDiabetes(diabetes);
        }
        if (copd != null) {
            b.setCopd(copd);
        }
        if (asthma != null) {
            b.setAsthma(asthma);
        }
        if (immunosuppressed != null) {
            b.setImmunosuppressed(immunosuppressed);
        }
        if (hypertension != null) {
            b.setHypertension(hypertension);
        }
        if (otherDisease != null) {
            b.setOtherDisease(otherDisease);
        }
        if (cardiovascular != null) {
            b.setCardiovascular(cardiovascular);
        }
        if (obesity != null) {
            b.setObesity(obesity);
        }
        if (chronicKidneyDisease != null) {
            b.setChronicKidneyDisease(chronicKidneyDisease);
        }
        if (smoker != null) {
            b.setSmoker(smoker);
        }
        if (pregnant != null) {
            b.setPregnant(pregnant);
        }
        if (contactWithCase != null) {
            b.setContactWithCase(contactWithCase);
        }
        if (sector != null) {
            b.setSector(sector);
        }
        if (usmer != null) {
            b.setUsmer(usmer);
        }
        return b.build();
    }
}
