package org.covidrisk.ingest.mapping;

import java.time.LocalDate;
import java.util.function.Consumer;

import org.covidrisk.ingest.Patient;
import org.covidrisk.ingest.v1.CovidStatus;
import org.covidrisk.ingest.v1.PatientRecord;
import org.covidrisk.ingest.v1.PatientType;
import org.covidrisk.ingest.v1.Sex;

/** Stored patient to contract record. */
public final class PatientMapper {

    private PatientMapper() {
    }

    public static PatientRecord toRecord(Patient p) {
        PatientRecord.Builder b = PatientRecord.newBuilder().setPatientId(p.patientKey).setHospital(p.hospital)
                .setSource(p.source).setAdmissionDate(iso(p.admissionDate))
                .setSymptomOnsetDate(iso(p.symptomOnsetDate)).setDeathDate(iso(p.deathDate)).setDied(p.died)
                .setUsmer(p.usmer).setSector(p.sector);
        b.setSex(p.sex == null ? Sex.SEX_UNSPECIFIED : p.sex == 1 ? Sex.SEX_FEMALE : Sex.SEX_MALE);
        b.setPatientType(p.patientType == null
                ? PatientType.PATIENT_TYPE_UNSPECIFIED
                : p.patientType == 2 ? PatientType.PATIENT_TYPE_HOSPITALISED : PatientType.PATIENT_TYPE_OUTPATIENT);
        b.setCovidStatus(p.covidStatus == null ? CovidStatus.COVID_STATUS_UNSPECIFIED : switch (p.covidStatus) {
            case 1 -> CovidStatus.COVID_STATUS_CONFIRMED;
            case 2 -> CovidStatus.COVID_STATUS_NEGATIVE;
            default -> CovidStatus.COVID_STATUS_PENDING;
        });
        if (p.age != null) {
            b.setAge(p.age);
        }
        set(p.pneumonia, b::setPneumonia);
        set(p.intubated, b::setIntubated);
        set(p.icu, b::setIcu);
        set(p.diabetes, b::setDiabetes);
        set(p.copd, b::setCopd);
        set(p.asthma, b::setAsthma);
        set(p.immunosuppressed, b::setImmunosuppressed);
        set(p.hypertension, b::setHypertension);
        set(p.otherDisease, b::setOtherDisease);
        set(p.cardiovascular, b::setCardiovascular);
        set(p.obesity, b::setObesity);
        set(p.chronicKidneyDisease, b::setChronicKidneyDisease);
        set(p.smoker, b::setSmoker);
        set(p.pregnant, b::setPregnant);
        set(p.contactWithCase, b::setContactWithCase);
        set(p.indigenousLanguage, b::setIndigenousLanguage);
        set(p.mexicanNational, b::setMexicanNational);
        if (p.stateOfUnit != null) {
            b.setStateOfUnit(p.stateOfUnit);
        }
        if (p.stateOfBirth != null) {
            b.setStateOfBirth(p.stateOfBirth);
        }
        if (p.stateOfResidence != null) {
            b.setStateOfResidence(p.stateOfResidence);
        }
        return b.build();
    }

    private static void set(Boolean v, Consumer<Boolean> setter) {
        if (v != null) {
            setter.accept(v);
        }
    }

    private static String iso(LocalDate d) {
        return d == null ? "" : d.toString();
    }
}
