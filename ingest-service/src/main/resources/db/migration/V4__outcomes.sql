-- Outcomes as they arrive (from an admission file, or later through RecordOutcomes): append-only, never updated
-- or deleted, so a prediction made at time T can be joined to the outcomes received after T. The admission row
-- carries the latest one.
CREATE SEQUENCE outcome_event_seq START WITH 1 INCREMENT BY 50;

CREATE TABLE outcome_event (
    id           BIGINT DEFAULT nextval('outcome_event_seq') PRIMARY KEY,
    source       VARCHAR(16)  NOT NULL,
    hospital     VARCHAR(32)  NOT NULL,
    patient_id   VARCHAR(64)  NOT NULL,
    -- covidrisk.ingest.v1.AdmissionOutcome number: 1 discharged alive, 2 died
    outcome      INTEGER      NOT NULL,
    outcome_time TIMESTAMP,
    received_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    batch_id     VARCHAR(128) NOT NULL
);
CREATE INDEX outcome_event_patient_idx ON outcome_event (source, hospital, patient_id);
CREATE INDEX outcome_event_received_idx ON outcome_event (received_at, id);
