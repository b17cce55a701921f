-- ingest-service owns these tables. SQL kept to the common subset of PostgreSQL and H2.
CREATE SEQUENCE patient_seq START WITH 1 INCREMENT BY 50;

CREATE TABLE upload_batch (
    batch_id     VARCHAR(128) PRIMARY KEY,
    sha256       VARCHAR(64)   NOT NULL,
    file_name    VARCHAR(255),
    layout       VARCHAR(16)   NOT NULL,
    rows_read    BIGINT        NOT NULL,
    rows_stored  BIGINT        NOT NULL,
    deaths       BIGINT        NOT NULL,
    hospitals    VARCHAR(4000) NOT NULL,
    uploaded_by  VARCHAR(128)  NOT NULL,
    uploaded_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE patient (
    id                     BIGINT PRIMARY KEY,
    patient_key            VARCHAR(64) NOT NULL UNIQUE,
    hospital               VARCHAR(32) NOT NULL,
    source                 VARCHAR(16) NOT NULL,
    batch_id               VARCHAR(128) NOT NULL REFERENCES upload_batch (batch_id),
    admission_date         DATE,
    symptom_onset_date     DATE,
    death_date             DATE,
    died                   BOOLEAN NOT NULL,
    sex                    INTEGER,
    age                    INTEGER,
    patient_type           INTEGER,
    covid_status           INTEGER,
    pneumonia              BOOLEAN,
    intubated              BOOLEAN,
    icu                    BOOLEAN,
    diabetes               BOOLEAN,
    copd                   BOOLEAN,
    asthma                 BOOLEAN,
    immunosuppressed       BOOLEAN,
    hypertension           BOOLEAN,
    other_disease          BOOLEAN,
    cardiovascular         BOOLEAN,
    obesity                BOOLEAN,
    chronic_kidney_disease BOOLEAN,
    smoker                 BOOLEAN,
    pregnant               BOOLEAN,
    contact_with_case      BOOLEAN,
    indigenous_language    BOOLEAN,
    mexican_national       BOOLEAN,
    usmer                  BOOLEAN NOT NULL,
    sector                 INTEGER NOT NULL,
    state_of_unit          VARCHAR(2),
    state_of_birth         VARCHAR(2),
    state_of_residence     VARCHAR(2),
    updated_at             TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX patient_hospital_idx ON patient (hospital);
