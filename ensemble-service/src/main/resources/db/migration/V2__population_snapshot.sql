-- Models trained with population meta-features keep their training population (vectors, outcomes, ages), so
-- that a new patient is compared with the population of the model in use.
ALTER TABLE model_version ADD COLUMN population BYTEA;
ALTER TABLE model_version ADD COLUMN meta_k INTEGER;
