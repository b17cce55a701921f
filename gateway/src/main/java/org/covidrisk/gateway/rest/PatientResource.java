package org.covidrisk.gateway.rest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.covidrisk.ensemble.v1.ScoreRequest;
import org.covidrisk.ensemble.v1.TrainingCohort;
import org.covidrisk.gateway.audit.AuditAction;
import org.covidrisk.gateway.audit.AuditContext;
import org.covidrisk.gateway.audit.AuditFilter;
import org.covidrisk.gateway.audit.Audited;
import org.covidrisk.gateway.client.EnsembleClient;
import org.covidrisk.gateway.client.IngestClient;
import org.covidrisk.gateway.config.GatewayConfig;
import org.covidrisk.gateway.mapping.AdmissionInput;
import org.covidrisk.gateway.mapping.AdmissionRecordInput;
import org.covidrisk.gateway.mapping.Cohorts;
import org.covidrisk.gateway.mapping.Views.BatchItemView;
import org.covidrisk.gateway.mapping.Views.BatchScoreView;
import org.covidrisk.gateway.mapping.Views.PatientPageView;
import org.covidrisk.gateway.mapping.Views.PatientView;
import org.covidrisk.gateway.mapping.Views.ScoreView;
import org.covidrisk.ingest.v1.ListPatientsRequest;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.security.Caller;
import org.covidrisk.platform.security.Roles;
import org.eclipse.microprofile.openapi.annotations.Operation;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** Patients and their risk scores, always within the caller's hospital. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class PatientResource {

    /** A batch score order: stored patients of your hospital, at one stage. */
    public record BatchScoreCommand(@NotEmpty @Size(max = 500) List<@NotNull String> patientIds,
            @Min(1) @Max(4) Integer stage) {
    }

    @Inject
    IngestClient ingest;

    @Inject
    EnsembleClient ensemble;

    @Inject
    CurrentCaller caller;

    @Inject
    AuditContext audit;

    @Inject
    GatewayConfig config;

    @GET
    @Path("/patients")
    @RolesAllowed(Roles.CLINICIAN)
    @Audited(AuditAction.PATIENT_LIST)
    @Operation(summary = "A page of the stored patients of your hospital, ordered by patient id")
    public PatientPageView patients(@QueryParam("pageSize") @DefaultValue("50") @Min(1) @Max(500) int pageSize,
            @QueryParam("pageToken") String pageToken) {
        PatientPageView page = PatientPageView.of(ingest.listPatients(caller.withHospital(), ListPatientsRequest
                .newBuilder().setPageSize(pageSize).setPageToken(pageToken == null ? "" : pageToken).build()));
        audit.detail(page.patients().size() + " of " + page.total() + " patients");
        return page;
    }

    @GET
    @Path("/patients/{id}")
    @RolesAllowed(Roles.CLINICIAN)
    @Audited(value = AuditAction.PATIENT_READ, pathParam = "id")
    @Operation(summary = "A stored patient of your hospital (404 for any other)")
    public PatientView patient(@PathParam("id") String id) {
        return PatientView.of(ingest.patient(caller.withHospital(), id));
    }

    @POST
    @Path("/patients/{id}/score")
    @RolesAllowed(Roles.CLINICIAN)
    @Audited(value = AuditAction.SCORE, pathParam = "id")
    @Operation(summary = "Risk of in-hospital death of a stored patient of your hospital, at a clinical stage", description = "cohort=dge (default) scores the stored DGE patient with the stage's active model; cohort=admissions scores the stored admission record with the active admissions model (no stage).")
    public ScoreView scoreStored(@PathParam("id") String id,
            @QueryParam("stage") @Min(1) @Max(4) Integer stage, @QueryParam("cohort") String cohort) {
        TrainingCohort c = Cohorts.parse(cohort);
        return ScoreView.of(ensemble.score(caller.withHospital(), ScoreRequest.newBuilder().setPatientId(id)
                .setCohort(c).setStage(stageOf(c, stage)).build()));
    }

    /** The stage sent: 4 when a DGE request names none; admission models have none (a given stage is refused). */
    static int stageOf(TrainingCohort cohort, Integer stage) {
        return stage != null ? stage : cohort == TrainingCohort.TRAINING_COHORT_DGE ? 4 : 0;
    }

    @POST
    @Path("/scores")
    @RolesAllowed(Roles.CLINICIAN)
    @Audited(AuditAction.SCORE)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Risk of in-hospital death of a patient entered at the bedside (not stored)")
    public ScoreView scoreAdHoc(@QueryParam("stage") @DefaultValue("4") @Min(1) @Max(4) int stage,
            @NotNull @Valid AdmissionInput input) {
        audit.target(input.reference() == null || input.reference().isBlank() ? "ad-hoc" : input.reference());
        return ScoreView.of(ensemble.score(caller.withHospital(),
                ScoreRequest.newBuilder().setPatient(input.toRecord()).setStage(stage).build()));
    }

    @POST
    @Path("/scores/admission")
    @RolesAllowed(Roles.CLINICIAN)
    @Audited(AuditAction.SCORE)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Risk of in-hospital death of an admission record entered at presentation (not stored)", description = "Scored by the active admissions model (stacking-paper admission features: age, onset, vitals, labs, ratios); missing inputs are imputed by the model's MICE imputer and listed.")
    public ScoreView scoreAdmission(@NotNull @Valid AdmissionRecordInput input) {
        audit.target(input.reference() == null || input.reference().isBlank() ? "ad-hoc" : input.reference());
        return ScoreView.of(ensemble.score(caller.withHospital(), ScoreRequest.newBuilder().setAdmission(input
                .toRecord()).setCohort(TrainingCohort.TRAINING_COHORT_ADMISSIONS).build()));
    }

    @POST
    @Path("/scores/batch")
    @RolesAllowed(Roles.CLINICIAN)
    @Audited(AuditAction.SCORE_BATCH)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Risk of in-hospital death of up to 500 stored patients of your hospital", description = "One item per distinct id. An id that is absent or of another hospital comes back as the same 404 item, so the answer discloses nothing about other hospitals. Each scored patient is audited.")
    public BatchScoreView scoreBatch(@NotNull @Valid BatchScoreCommand command) {
        Caller c = caller.withHospital();
        if (command.patientIds().size() > config.maxBatchScore()) {
            throw GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "at most " + config.maxBatchScore()
                    + " patient ids per batch", List.of(new GrpcProblems.Violation("patientIds", "too many")));
        }
        int stage = command.stage() == null ? 4 : command.stage();
        String batchId = UUID.randomUUID().toString();
        List<BatchItemView> items = new ArrayList<>();
        int scored = 0;
        for (String id : new LinkedHashSet<>(command.patientIds())) {
            try {
                ScoreView s = ScoreView.of(ensemble.score(c, ScoreRequest.newBuilder().setPatientId(id)
                        .setStage(stage).build()));
                items.add(new BatchItemView(id, 200, s, null));
                audit.add(new AuditContext.Entry(AuditAction.SCORE, id, s.hospital(), 200, "batch " + batchId + " "
                        + AuditFilter.scoreDetail(s)));
                scored++;
            } catch (StatusRuntimeException e) {
                Status.Code code = e.getStatus().getCode();
                if (code == Status.Code.NOT_FOUND) {
                    items.add(new BatchItemView(id, 404, null, "not found in your hospital(s)"));
                    audit.add(new AuditContext.Entry(AuditAction.SCORE, id, null, 404, "batch " + batchId));
                } else if (code == Status.Code.INVALID_ARGUMENT || code == Status.Code.FAILED_PRECONDITION) {
                    String why = e.getStatus().getDescription() == null
                            ? "cannot be scored"
                            : e.getStatus().getDescription();
                    items.add(new BatchItemView(id, code == Status.Code.INVALID_ARGUMENT ? 400 : 409, null, why));
                    audit.add(new AuditContext.Entry(AuditAction.SCORE, id, null, 400, "batch " + batchId));
                } else {
                    throw e; // the whole batch fails: a backend is down, or the token was refused
                }
            }
        }
        audit.target(batchId);
        audit.detail(scored + " of " + items.size() + " scored, stage " + stage);
        return new BatchScoreView(batchId, items.size(), scored, items);
    }
}
