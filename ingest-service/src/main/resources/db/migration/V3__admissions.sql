-- Admission records (admission CSV, Tongji, FHIR R4): one row per admission, keyed by (source, hospital,
-- patient_id) because admission sources number patients per hospital (unlike the nationally unique DGE ids).
-- SQL kept to the common subset of PostgreSQL and H2 (MODE=PostgreSQL). Times are the hospital's local time.
CREATE TABLE admission (
    source                 VARCHAR(16)  NOT NULL,
    hospital               VARCHAR(32)  NOT NULL,
    patient_id             VARCHAR(64)  NOT NULL,
    batch_id               VARCHAR(128) NOT NULL,
    admission_time         TIMESTAMP    NOT NULL,
    symptom_onset_date     DATE,
    age                    DOUBLE PRECISION,
    -- covidrisk.ingest.v1.Sex number: 1 female, 2 male; NULL unknown
    sex                    INTEGER,
    mechanical_ventilation BOOLEAN,
    -- covidrisk.ingest.v1.AdmissionOutcome number: 0 unknown, 1 discharged alive, 2 died
    outcome                INTEGER      NOT NULL,
    outcome_time           TIMESTAMP,
    -- when the outcome reached the suite (upload of the file, or a later RecordOutcomes)
    outcome_received_at    TIMESTAMP WITH TIME ZONE,
    updated_at             TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (source, hospital, patient_id)
);
CREATE INDEX admission_hospital_idx ON admission (hospital);

-- Comorbidities, vital signs and laboratory results of an admission: one value per code (the first one at or
-- after presentation), in the canonical unit and as given.
CREATE TABLE admission_item (
    source         VARCHAR(16)  NOT NULL,
    hospital       VARCHAR(32)  NOT NULL,
    patient_id     VARCHAR(64)  NOT NULL,
    -- COMORBIDITY (value 1 present, 0 absent), VITAL or LAB
    kind           VARCHAR(12)  NOT NULL,
    code           VARCHAR(32)  NOT NULL,
    value          DOUBLE PRECISION NOT NULL,
    unit           VARCHAR(16)  NOT NULL,
    value_as_given DOUBLE PRECISION NOT NULL,
    unit_as_given  VARCHAR(32)  NOT NULL,
    taken_at       TIMESTAMP,
    PRIMARY KEY (source, hospital, patient_id, code)
);

-- The records of one batch pass through these inside the batch's transaction (with their position in the file
-- and their first line, to name repeated patients) and are deleted before it commits, so no other transaction
-- ever sees them.
CREATE TABLE admission_stage (
    seq                    BIGINT       NOT NULL,
    line                   BIGINT       NOT NULL,
    source                 VARCHAR(16)  NOT NULL,
    hospital               VARCHAR(32)  NOT NULL,
    patient_id             VARCHAR(64)  NOT NULL,
    batch_id               VARCHAR(128) NOT NULL,
    admission_time         TIMESTAMP    NOT NULL,
    symptom_onset_date     DATE,
    age                    DOUBLE PRECISION,
    sex                    INTEGER,
    mechanical_ventilation BOOLEAN,
    outcome                INTEGER      NOT NULL,
    outcome_time           TIMESTAMP,
    outcome_received_at    TIMESTAMP WITH TIME ZONE,
    updated_at             TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX admission_stage_batch_idx ON admission_stage (batch_id, source, hospital, patient_id);

CREATE TABLE admission_item_stage (
    seq            BIGINT       NOT NULL,
    batch_id       VARCHAR(128) NOT NULL,
    source         VARCHAR(16)  NOT NULL,
    hospital       VARCHAR(32)  NOT NULL,
    patient_id     VARCHAR(64)  NOT NULL,
    kind           VARCHAR(12)  NOT NULL,
    code           VARCHAR(32)  NOT NULL,
    value          DOUBLE PRECISION NOT NULL,
    unit           VARCHAR(16)  NOT NULL,
    value_as_given DOUBLE PRECISION NOT NULL,
    unit_as_given  VARCHAR(32)  NOT NULL,
    taken_at       TIMESTAMP
);
CREATE INDEX admission_item_stage_batch_idx ON admission_item_stage (batch_id, seq);
