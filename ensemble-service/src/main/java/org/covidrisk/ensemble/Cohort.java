package org.covidrisk.ensemble;

import org.covidrisk.ensemble.v1.TrainingCohort;

/**
 * The records a model is trained on, and so the inputs it scores; stored by name in {@code model_version.cohort}.
 * Versions are numbered, and one model is active, per (cohort, stage).
 */
public enum Cohort {
    /** DGE open-data patient records: the PLOS clinical-stage models (stages 1-4). */
    DGE(TrainingCohort.TRAINING_COHORT_DGE),
    /** Admission records: the stacking paper's admission features (stage {@link #ADMISSION_STAGE}). */
    ADMISSIONS(TrainingCohort.TRAINING_COHORT_ADMISSIONS),
    /** Patients with a stored chest X-ray: the IJIMAI second layer. */
    XRAY(TrainingCohort.TRAINING_COHORT_XRAY);

    /** The stage admission models are stored under: admission records are not split into clinical stages. */
    public static final int ADMISSION_STAGE = 0;

    private final TrainingCohort proto;

    Cohort(TrainingCohort proto) {
        this.proto = proto;
    }

    public TrainingCohort proto() {
        return proto;
    }

    /** The cohort of a request; an unknown (newer) value is refused by the caller as an invalid argument. */
    public static Cohort of(TrainingCohort proto) {
        for (Cohort c : values()) {
            if (c.proto == proto) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown cohort " + proto);
    }
}
