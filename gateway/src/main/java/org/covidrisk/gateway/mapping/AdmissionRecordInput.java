package org.covidrisk.gateway.mapping;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.covidrisk.ingest.v1.AdmissionRecord;
import org.covidrisk.ingest.v1.Comorbidity;
import org.covidrisk.ingest.v1.Measurement;
import org.covidrisk.ingest.v1.Sex;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An admission record entered at presentation, scored by the active admissions model (stacking paper features).
 * Codes and units are those of the admission schema (ingest-service README); a value in a unit feature-service does
 * not know is refused naming it. Unknown values are left out: the score lists what it imputed. The hospital is
 * always the caller's.
 */
@Schema(description = "Admission record entered at presentation; omitted means unknown")
public record AdmissionRecordInput(
        @Schema(description = "optional local reference, echoed back") String reference,
        @NotNull @Min(0) @Max(130) Double age,
        @Pattern(regexp = "female|male", message = "must be female or male") String sex,
        @Min(0) @Max(60) @Schema(description = "days from symptom onset to admission") Integer daysFromSymptomOnset,
        @Schema(description = "mechanical ventilation at presentation") Boolean mechanicalVentilation,
        @Size(max = 50) @Schema(description = "comorbidity code (e.g. hypertension, diabetes, copd) → present") Map<@NotBlank String, @NotNull Boolean> comorbidities,
        @Size(max = 50) @Schema(description = "vital signs: heart_rate, respiratory_rate, systolic_bp, temperature, spo2, fio2") List<@NotNull @Valid MeasurementInput> vitals,
        @Size(max = 100) @Schema(description = "laboratory results, e.g. neutrophils, lymphocytes, crp, ldh, d_dimer") List<@NotNull @Valid MeasurementInput> labs) {

    /** One measured value with its UCUM unit, e.g. {@code {"code": "crp", "value": 120, "unit": "mg/L"}}. */
    public record MeasurementInput(@NotBlank String code, @NotNull Double value, @NotBlank String unit) {
        Measurement toMeasurement() {
            return Measurement.newBuilder().setCode(code.strip()).setValue(value).setUnit(unit.strip()).build();
        }
    }

    /** The contract record, admitted now; the hospital is set downstream from the caller's token. */
    public AdmissionRecord toRecord() {
        AdmissionRecord.Builder b = AdmissionRecord.newBuilder().setPatientId(reference == null ? "" : reference)
                .setSource("API").setAge(age)
                .setAdmissionTime(LocalDateTime.now().truncatedTo(ChronoUnit.MINUTES).toString());
        if (sex != null) {
            b.setSex("male".equals(sex) ? Sex.SEX_MALE : Sex.SEX_FEMALE);
        }
        if (daysFromSymptomOnset != null) {
            b.setSymptomOnsetDate(LocalDate.now().minusDays(daysFromSymptomOnset).toString());
        }
        if (mechanicalVentilation != null) {
            b.setMechanicalVentilation(mechanicalVentilation);
        }
        if (comorbidities != null) {
            comorbidities.forEach((code, present) -> b.addComorbidities(Comorbidity.newBuilder().setCode(code.strip())
                    .setPresent(present)));
        }
        if (vitals != null) {
            vitals.forEach(m -> b.addVitals(m.toMeasurement()));
        }
        if (labs != null) {
            labs.forEach(m -> b.addLabs(m.toMeasurement()));
        }
        return b.build();
    }
}
