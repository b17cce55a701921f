package org.covidrisk.gateway.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.covidrisk.ingest.v1.AdmissionOutcome;
import org.covidrisk.ingest.v1.OutcomeUpdate;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.grpc.Status;

/**
 * A death or discharge learnt after admission, as the REST API takes it. Checked field by field by ingest-service,
 * which names each problem as {@code outcomes[i].field}; only the outcome word is mapped here.
 *
 * @param source empty when the patient has one admission in the hospital
 * @param outcome {@code died} or {@code discharged}
 * @param outcomeTime ISO-8601 local date-time or date, not before the admission
 */
@Schema(description = "A death or discharge learnt after admission")
public record OutcomeInput(String patientId, String hospital, String source,
        @Schema(enumeration = {
                "died", "discharged"}) String outcome,
        String outcomeTime){

    /** The gRPC updates of a JSON list, in order; an unknown outcome word or a null item is a 400 naming it. */
    public static List<OutcomeUpdate> toUpdates(List<OutcomeInput> inputs) {
        List<OutcomeUpdate> out = new ArrayList<>(inputs.size());
        List<GrpcProblems.Violation> problems = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            OutcomeInput in = inputs.get(i);
            if (in == null) {
                problems.add(new GrpcProblems.Violation("outcomes[" + i + "]", "is null"));
                continue;
            }
            AdmissionOutcome outcome = switch (in.outcome() == null
                    ? ""
                    : in.outcome().strip().toLowerCase(
                            Locale.ROOT)) {
                case "died" -> AdmissionOutcome.ADMISSION_OUTCOME_DIED;
                case "discharged" -> AdmissionOutcome.ADMISSION_OUTCOME_DISCHARGED_ALIVE;
                default -> {
                    problems.add(new GrpcProblems.Violation("outcomes[" + i + "].outcome", "must be died or "
                            + "discharged"));
                    yield AdmissionOutcome.ADMISSION_OUTCOME_UNSPECIFIED;
                }
            };
            out.add(OutcomeUpdate.newBuilder().setPatientId(text(in.patientId())).setHospital(text(in.hospital()))
                    .setSource(text(in.source())).setOutcome(outcome).setOutcomeTime(text(in.outcomeTime())).build());
        }
        if (!problems.isEmpty()) {
            throw GrpcProblems.of(Status.Code.INVALID_ARGUMENT, problems.size() + " outcome(s) cannot be read",
                    problems);
        }
        return out;
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }
}
