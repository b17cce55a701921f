-- Chest X-rays (issue 3): the bytes live in the content-addressed image directory (ingest.images.dir, file name =
-- hex SHA-256); this table holds one row per stored image. One image belongs to one patient: the same bytes sent
-- again for the same patient are a replay, for another patient a conflict. No foreign key to patient: an X-ray
-- may arrive before the admission record. SQL kept to the common subset of PostgreSQL and H2.
CREATE TABLE xray_image (
    sha256      VARCHAR(64)  PRIMARY KEY,
    patient_key VARCHAR(64)  NOT NULL,
    hospital    VARCHAR(32)  NOT NULL,
    media_type  VARCHAR(16)  NOT NULL,
    size_bytes  BIGINT       NOT NULL,
    width       INTEGER      NOT NULL,
    height      INTEGER      NOT NULL,
    bit_depth   INTEGER      NOT NULL,
    view_name   VARCHAR(32),
    study_time  VARCHAR(40),
    -- study_time as a local date-time (a date alone is its midnight), for "the patient's latest image"
    study_at    TIMESTAMP,
    file_name   VARCHAR(255),
    uploaded_by VARCHAR(128) NOT NULL,
    stored_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX xray_image_patient_idx ON xray_image (patient_key, hospital);
