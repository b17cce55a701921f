-- Models belong to a cohort (the records they are trained on, and so the inputs they score): DGE patient records
-- (the PLOS stage models), admission records (the stacking paper's admission features) or X-rays (the IJIMAI
-- second layer). Versions are numbered, and one model is active, per (cohort, stage). Existing rows are DGE models.
ALTER TABLE model_version ADD COLUMN cohort VARCHAR(16) DEFAULT 'DGE' NOT NULL;
ALTER TABLE model_version DROP CONSTRAINT model_version_stage_version;
ALTER TABLE model_version ADD CONSTRAINT model_version_cohort_stage_version UNIQUE (cohort, stage, version);
DROP INDEX model_version_active_idx;
CREATE INDEX model_version_active_idx ON model_version (cohort, stage, active);

ALTER TABLE model_promotion ADD COLUMN cohort VARCHAR(16) DEFAULT 'DGE' NOT NULL;
