-- How a model's inputs treat missing values, and the MICE imputer fitted on its training rows (a
-- covidrisk.feature.v1.Imputer message) that scoring applies to new patients. Models stored before have their
-- missing yes/no inputs filled with "no" and a missing age with the adult median ('fill').
ALTER TABLE model_version ADD COLUMN missing_values VARCHAR(8) DEFAULT 'fill' NOT NULL;
ALTER TABLE model_version ADD COLUMN imputer BYTEA;
