package org.covidrisk.ensemble.service;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.covidrisk.ensemble.Cohort;
import org.covidrisk.ensemble.client.FeatureClient;
import org.covidrisk.ensemble.client.IngestClient;
import org.covidrisk.ensemble.config.EnsembleConfig;
import org.covidrisk.ensemble.learn.TrainingData;
import org.covidrisk.ensemble.v1.ScoreRequest;
import org.covidrisk.feature.v1.FeatureSet;
import org.covidrisk.feature.v1.FeaturizeResponse;
import org.covidrisk.ingest.v1.AdmissionOutcome;
import org.covidrisk.ingest.v1.AdmissionRecord;
import org.covidrisk.ingest.v1.AdmissionsRequest;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.grpc.GrpcProblems.Violation;
import org.covidrisk.platform.security.Caller;

import io.grpc.Status;

/**
 * What differs for the admissions cohort (stacking paper) from the DGE stage models: the records come from
 * ingest-service's AdmissionService and are featurised by feature-service's FeaturizeAdmissions; models live under
 * stage {@link Cohort#ADMISSION_STAGE}. Everything else (imputation, learners, hold-out, registry, reliability) is
 * the DGE path in {@link TrainingService} and {@link ScoringService}.
 */
@ApplicationScoped
public class AdmissionCohort {

    /** Recorded as the provenance's "cohort" of an admission model. */
    static final Map<String, Object> PROVENANCE = Map.of("records", "admissions",
            "selection", "every admission of every hospital with a known outcome (died or discharged alive)",
            "outcome", "in-hospital death (AdmissionRecord.outcome, including outcomes recorded after admission)");

    @Inject
    IngestClient ingest;

    @Inject
    FeatureClient features;

    @Inject
    EnsembleConfig config;

    /**
     * Every stored admission with a known outcome, featurised with missing inputs kept as NaN; {@code hospitals}
     * receives each row's hospital and {@code set[0]} the layout.
     */
    TrainingData trainingData(Caller caller, List<String> hospitals, FeatureSet[] set) {
        AdmissionsRequest request = AdmissionsRequest.newBuilder().setWithOutcomeOnly(true).build();
        return TrainingService.featurized(ingest.admissions(caller, request), batch -> features.featurizeAdmissions(
                caller, batch, config.trainCallTimeout()), config.featureBatchSize(), hospitals, set);
    }

    /**
     * The admission a score request names: a stored one by patient id (ingest answers NOT_FOUND for another
     * hospital's), or an ad-hoc record, which always belongs to the caller's hospital and whose outcome, if any, is
     * dropped (never an input at scoring). Age is required: without it the score would rest on imputation alone.
     */
    AdmissionRecord subject(Caller caller, ScoreRequest request) {
        AdmissionRecord record = switch (request.getSubjectCase()) {
            case PATIENT_ID -> ingest.admission(caller, request.getPatientId());
            case ADMISSION -> adHoc(caller, request.getAdmission());
            case PATIENT -> throw GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "the admissions cohort scores "
                    + "admission records: give an admission record or a patient id",
                    List.of(new Violation(
                            "patient", "not an admission record")));
            case SUBJECT_NOT_SET -> throw GrpcProblems.of(Status.Code.INVALID_ARGUMENT,
                    "give a patient id or an admission record", List.of(new Violation("admission", "missing")));
        };
        if (!record.hasAge()) {
            throw GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "the admission has no age", List.of(new Violation(
                    "admission.age", "required for scoring")));
        }
        return record;
    }

    /** Admission features of one record, for scoring. */
    FeaturizeResponse featurize(Caller caller, AdmissionRecord record) {
        return features.featurizeAdmissions(caller, List.of(record), config.scoreCallTimeout());
    }

    private static AdmissionRecord adHoc(Caller caller, AdmissionRecord given) {
        String id = given.getPatientId().isBlank() ? "ad-hoc" : given.getPatientId();
        return given.toBuilder().setPatientId(id).setHospital(ScoringService.homeHospital(caller))
                .setOutcome(AdmissionOutcome.ADMISSION_OUTCOME_UNSPECIFIED).clearOutcomeTime()
                .clearOutcomeReceivedAt().build();
    }
}
