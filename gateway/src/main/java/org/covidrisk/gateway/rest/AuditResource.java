package org.covidrisk.gateway.rest;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.covidrisk.gateway.audit.AuditAction;
import org.covidrisk.gateway.audit.AuditContext;
import org.covidrisk.gateway.audit.AuditEvent;
import org.covidrisk.gateway.audit.AuditLog;
import org.covidrisk.gateway.audit.Audited;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.security.Roles;
import org.eclipse.microprofile.openapi.annotations.Operation;

import io.grpc.Status;

/** The audit log, read-only. */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    /** What a security admin sees in place of a patient key or a result. */
    public static final String REDACTED = "[redacted]";

    /** One audit row. */
    public record AuditEventView(long id, String occurredAt, String actor, String actorRoles, String hospital,
            String action, String target, int outcome, String detail) {
        static AuditEventView of(AuditEvent e, boolean redact) {
            boolean hide = redact && e.action.concernsPatients();
            return new AuditEventView(e.id, e.occurredAt.toString(), e.actor, e.actorRoles, e.hospital,
                    e.action.name(), hide ? REDACTED : e.target, e.outcome, hide ? REDACTED : e.detail);
        }
    }

    /** A page of rows, newest first; pass {@code nextBeforeId} as {@code beforeId} for the next page. */
    public record AuditPage(List<AuditEventView> events, Long nextBeforeId, boolean redacted) {
    }

    @Inject
    AuditLog log;

    @Inject
    CurrentCaller caller;

    @Inject
    AuditContext audit;

    @GET
    @RolesAllowed({Roles.SECURITY_ADMIN, Roles.NETWORK_ANALYST})
    @Audited(AuditAction.AUDIT_READ)
    @Operation(summary = "Audit rows, newest first, filtered by actor, action, hospital and time [from, to)", description = "Security admins see no patient data: the patient key and result of SCORE, PATIENT_READ and PATIENT_LIST rows are redacted.")
    public AuditPage find(@QueryParam("actor") String actor, @QueryParam("action") String action,
            @QueryParam("hospital") String hospital, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("beforeId") Long beforeId,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(500) int limit) {
        AuditAction a = null;
        if (action != null && !action.isBlank()) {
            try {
                a = AuditAction.valueOf(action.strip().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw invalid("action", "one of " + java.util.Arrays.toString(AuditAction.values()));
            }
        }
        var q = new AuditLog.Query(blankToNull(actor), a, blankToNull(hospital), instant("from", from),
                instant("to", to), beforeId, limit);
        // a security admin never sees patient data, even in the log (also when the account is a network analyst too)
        boolean redact = caller.get().hasRole(Roles.SECURITY_ADMIN);
        List<AuditEventView> rows = log.find(q).stream().map(e -> AuditEventView.of(e, redact)).toList();
        audit.detail(rows.size() + " rows" + (a == null ? "" : " action " + a) + (q.actor() == null
                ? ""
                : " actor " + q.actor()) + (q.hospital() == null ? "" : " hospital " + q.hospital()));
        return new AuditPage(rows, rows.size() < limit ? null : rows.get(rows.size() - 1).id(), redact);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw invalid(field, "an ISO-8601 instant, e.g. 2026-01-31T00:00:00Z");
        }
    }

    private static RuntimeException invalid(String field, String reason) {
        return GrpcProblems.of(Status.Code.INVALID_ARGUMENT, field + " must be " + reason,
                List.of(new GrpcProblems.Violation(field, "must be " + reason)));
    }
}
