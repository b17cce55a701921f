-- ensemble-service owns the model registry. SQL kept to the common subset of PostgreSQL and H2.
CREATE TABLE model_version (
    model_id        VARCHAR(36) PRIMARY KEY,
    version         INTEGER       NOT NULL,
    learner         VARCHAR(64)   NOT NULL,
    stage           INTEGER       NOT NULL,
    feature_set     VARCHAR(64)   NOT NULL,
    feature_names   VARCHAR(4000) NOT NULL,
    n_train         BIGINT        NOT NULL,
    n_deaths        BIGINT        NOT NULL,
    metrics_json    VARCHAR(4000) NOT NULL,
    provenance_json VARCHAR(16000) NOT NULL,
    artifact        BYTEA         NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by      VARCHAR(128)  NOT NULL,
    active          BOOLEAN       NOT NULL,
    CONSTRAINT model_version_stage_version UNIQUE (stage, version)
);

CREATE INDEX model_version_active_idx ON model_version (stage, active);
