-- The hold-out predictions of a model (probability, outcome and hospital of every hold-out patient), so that a
-- report can be computed over the hospitals its reader may see. Kept apart from model_version, which is listed
-- often, because it grows with the cohort.
CREATE TABLE model_holdout (
    model_id    VARCHAR(36) PRIMARY KEY REFERENCES model_version (model_id),
    rows_count  INTEGER     NOT NULL,
    predictions BYTEA       NOT NULL
);
