package org.covidrisk.ensemble.client;

import java.util.Iterator;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.covidrisk.ensemble.config.EnsembleConfig;
import org.covidrisk.ingest.v1.AdmissionRecord;
import org.covidrisk.ingest.v1.AdmissionServiceGrpc;
import org.covidrisk.ingest.v1.AdmissionsRequest;
import org.covidrisk.ingest.v1.CohortRequest;
import org.covidrisk.ingest.v1.GetAdmissionRequest;
import org.covidrisk.ingest.v1.GetPatientRequest;
import org.covidrisk.ingest.v1.IngestServiceGrpc;
import org.covidrisk.ingest.v1.PatientRecord;
import org.covidrisk.platform.grpc.BearerToken;
import org.covidrisk.platform.security.Caller;

import io.quarkus.grpc.GrpcClient;

/** Calls ingest-service with the caller's own token (ingest checks tenancy itself). */
@ApplicationScoped
public class IngestClient {

    @GrpcClient("ingest")
    IngestServiceGrpc.IngestServiceBlockingStub stub;

    /** ingest-service's admission records (same server as the patients). */
    @GrpcClient("ingest")
    AdmissionServiceGrpc.AdmissionServiceBlockingStub admissions;

    @Inject
    EnsembleConfig config;

    public PatientRecord patient(Caller caller, String patientId) {
        return BearerToken.attach(stub, caller.rawToken())
                .withDeadlineAfter(config.scoreCallTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .getPatient(GetPatientRequest.newBuilder().setPatientId(patientId).build());
    }

    public Iterator<PatientRecord> cohort(Caller caller, CohortRequest request) {
        return BearerToken.attach(stub, caller.rawToken())
                .withDeadlineAfter(config.trainCallTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .streamCohort(request);
    }

    /** One stored admission of the caller's hospitals; ingest answers NOT_FOUND for another hospital's. */
    public AdmissionRecord admission(Caller caller, String patientId) {
        return BearerToken.attach(admissions, caller.rawToken())
                .withDeadlineAfter(config.scoreCallTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .getAdmission(GetAdmissionRequest.newBuilder().setPatientId(patientId).build());
    }

    /** The stored admission records for training (model-admin). */
    public Iterator<AdmissionRecord> admissions(Caller caller, AdmissionsRequest request) {
        return BearerToken.attach(admissions, caller.rawToken())
                .withDeadlineAfter(config.trainCallTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .streamAdmissions(request);
    }
}
