package org.covidrisk.ingest;

import java.time.Instant;
import java.time.LocalDate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * One patient episode as stored by ingest-service, independent of the source layout. Yes/no values are null
 * when the source said 97/98/99 (not applicable, unknown, not specified).
 */
@Entity
@Table(name = "patient")
public class Patient extends PanacheEntityBase {

    /** Assigned by the database (column default from {@code patient_seq}): batches are written by COPY or JDBC. */
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** Source record id (DGE ID_REGISTRO), unique within the suite. */
    @Column(name = "patient_key", nullable = false, unique = true, length = 64)
    public String patientKey;

    /** Hospital (centre) key, e.g. MX-09-04. */
    @Column(nullable = false, length = 32)
    public String hospital;

    /** Source layout, e.g. DGE_2022. */
    @Column(nullable = false, length = 16)
    public String source;

    @Column(name = "batch_id", nullable = false, length = 128)
    public String batchId;

    @Column(name = "admission_date")
    public LocalDate admissionDate;
    @Column(name = "symptom_onset_date")
    public LocalDate symptomOnsetDate;
    @Column(name = "death_date")
    public LocalDate deathDate;
    @Column(nullable = false)
    public boolean died;

    /** 1 female, 2 male, null unknown. */
    public Integer sex;
    public Integer age;
    /** 1 outpatient, 2 hospitalised, null unknown. */
    @Column(name = "patient_type")
    public Integer patientType;
    /** 1 confirmed, 2 negative, 3 pending / not conclusive, null unknown. */
    @Column(name = "covid_status")
    public Integer covidStatus;

    public Boolean pneumonia;
    public Boolean intubated;
    public Boolean icu;
    public Boolean diabetes;
    public Boolean copd;
    public Boolean asthma;
    public Boolean immunosuppressed;
    public Boolean hypertension;
    @Column(name = "other_disease")
    public Boolean otherDisease;
    public Boolean cardiovascular;
    public Boolean obesity;
    @Column(name = "chronic_kidney_disease")
    public Boolean chronicKidneyDisease;
    public Boolean smoker;
    public Boolean pregnant;
    @Column(name = "contact_with_case")
    public Boolean contactWithCase;
    @Column(name = "indigenous_language")
    public Boolean indigenousLanguage;
    @Column(name = "mexican_national")
    public Boolean mexicanNational;

    @Column(nullable = false)
    public boolean usmer;
    @Column(nullable = false)
    public int sector;
    @Column(name = "state_of_unit", length = 2)
    public String stateOfUnit;
    @Column(name = "state_of_birth", length = 2)
    public String stateOfBirth;
    @Column(name = "state_of_residence", length = 2)
    public String stateOfResidence;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** Copies every clinical field (not the id) from another record: a later upload updates the episode. */
    public void copyFrom(Patient o) {
        hospital = o.hospital;
        source = o.source;
        batchId = o.batchId;
        admissionDate = o.admissionDate;
        symptomOnsetDate = o.symptomOnsetDate;
        deathDate = o.deathDate;
        died = o.died;
        sex = o.sex;
        age = o.age;
        patientType = o.patientType;
        covidStatus = o.covidStatus;
        pneumonia = o.pneumonia;
        intubated = o.intubated;
        icu = o.icu;
        diabetes = o.diabetes;
        copd = o.copd;
        asthma = o.asthma;
        immunosuppressed = o.immunosuppressed;
        hypertension = o.hypertension;
        otherDisease = o.otherDisease;
        cardiovascular = o.cardiovascular;
        obesity = o.obesity;
        chronicKidneyDisease = o.chronicKidneyDisease;
        smoker = o.smoker;
        pregnant = o.pregnant;
        contactWithCase = o.contactWithCase;
        indigenousLanguage = o.indigenousLanguage;
        mexicanNational = o.mexicanNational;
        usmer = o.usmer;
        sector = o.sector;
        stateOfUnit = o.stateOfUnit;
        stateOfBirth = o.stateOfBirth;
        stateOfResidence = o.stateOfResidence;
        updatedAt = o.updatedAt;
    }
}
