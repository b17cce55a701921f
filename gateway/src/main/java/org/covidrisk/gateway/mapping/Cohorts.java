package org.covidrisk.gateway.mapping;

import java.util.List;
import java.util.Locale;

import org.covidrisk.ensemble.v1.TrainingCohort;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.grpc.GrpcProblems.Violation;

import io.grpc.Status;

/** The cohort names of the REST API ({@code dge}, {@code admissions}, {@code xray}) and their contract values. */
public final class Cohorts {

    private Cohorts() {
    }

    /** The cohort a request names; null or empty means {@code dge}; another name is a 400 naming {@code cohort}. */
    public static TrainingCohort parse(String name) {
        if (name == null || name.isBlank()) {
            return TrainingCohort.TRAINING_COHORT_DGE;
        }
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "dge" -> TrainingCohort.TRAINING_COHORT_DGE;
            case "admissions" -> TrainingCohort.TRAINING_COHORT_ADMISSIONS;
            case "xray" -> TrainingCohort.TRAINING_COHORT_XRAY;
            default -> throw GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "unknown cohort " + name.strip(),
                    List.of(new Violation("cohort", "must be dge, admissions or xray")));
        };
    }

    /** The REST name of a contract cohort. */
    public static String name(TrainingCohort cohort) {
        return switch (cohort) {
            case TRAINING_COHORT_ADMISSIONS -> "admissions";
            case TRAINING_COHORT_XRAY -> "xray";
            default -> "dge";
        };
    }
}
