package org.covidrisk.gateway.audit;

import java.lang.reflect.Method;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

import jakarta.inject.Inject;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;

import org.covidrisk.gateway.mapping.Views.ModelView;
import org.covidrisk.gateway.mapping.Views.PromotionView;
import org.covidrisk.gateway.mapping.Views.ScoreView;
import org.covidrisk.gateway.mapping.Views.UploadReportView;
import org.covidrisk.gateway.rest.ImageResource;
import org.covidrisk.gateway.rest.Problem;
import org.covidrisk.platform.security.Caller;
import org.covidrisk.platform.security.Roles;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.quarkus.runtime.BlockingOperationControl;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Writes the audit rows of every {@link Audited} endpoint and of every refused (403) API request, after the answer
 * is known and before it leaves: the row exists when the client sees the result. When the row cannot be written,
 * the result is withheld (500): an action the log does not show must not be delivered.
 *
 * <p>
 * 401 answers are not written (anyone can cause them without a token, which would let anonymous clients fill the
 * table); 429 answers neither (the limiter would otherwise turn a flood into writes).
 */
public class AuditFilter {

    private static final Logger LOG = Logger.getLogger(AuditFilter.class);
    private static final List<String> SUITE_ROLES = List.of(Roles.CLINICIAN, Roles.ANALYST, Roles.DATA_STEWARD,
            Roles.MODEL_ADMIN, Roles.NETWORK_ANALYST, Roles.SECURITY_ADMIN);

    @Inject
    AuditLog log;

    @Inject
    AuditContext context;

    @Inject
    CurrentIdentityAssociation identity;

    @ServerResponseFilter
    public Uni<Void> audit(ContainerRequestContext request, ContainerResponseContext response, ResourceInfo resource) {
        int status = response.getStatus();
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/api/") || status == 401 || status == 429) {
            return Uni.createFrom().voidItem();
        }
        Method method = resource == null ? null : resource.getResourceMethod();
        Audited audited = method == null ? null : method.getAnnotation(Audited.class);
        if (audited == null && status != 403) {
            return Uni.createFrom().voidItem();
        }
        // read the request-scoped state here, on the request's thread
        String route = request.getMethod() + " " + template(resource, path);
        String target = audited == null ? null : targetOf(audited, request);
        String ctxTarget = context.target();
        String ctxDetail = context.detail();
        String ctxHospital = context.hospital();
        List<AuditContext.Entry> extra = context.extra();
        Object entity = response.getEntity();
        return identity.getDeferredIdentity().onFailure().recoverWithNull().chain(id -> {
            if (id == null || id.isAnonymous()) {
                return Uni.createFrom().voidItem();
            }
            Row who = Row.of(id);
            List<AuditEvent> rows = new ArrayList<>();
            if (status == 403) {
                // the route template, never the path, when the target would be a patient key
                boolean namesPatient = audited == null || audited.value().concernsPatients() || target == null;
                rows.add(who.event(AuditAction.ACCESS_DENIED, namesPatient ? route : target, who.hospitals, status,
                        audited == null
                                ? null
                                : "wanted " + audited.value() + (ctxDetail == null
                                        ? ""
                                        : ", " + ctxDetail)));
            } else {
                Derived d = derive(entity);
                String t = firstNonNull(target, ctxTarget, d.target);
                String h = firstNonNull(ctxHospital, d.hospital, who.hospitals);
                String detail = status >= 400 ? problemTitle(entity) : firstNonNull(ctxDetail, d.detail, null);
                rows.add(who.event(audited.value(), t, h, status, detail));
                for (AuditContext.Entry e : extra) {
                    rows.add(who.event(e.action(), e.target(), e.hospital() == null ? who.hospitals : e.hospital(),
                            e.outcome(), e.detail()));
                }
            }
            return write(rows).onFailure().recoverWithUni(t -> {
                LOG.errorf("audit rows could not be written (%s); the answer is withheld", t.getClass().getName());
                response.setStatus(500);
                response.getHeaders().putSingle("Content-Type", Problem.MEDIA_TYPE);
                response.setEntity(Problem.of(500, "Not audited",
                        "the request could not be written to the audit log; its result is withheld", List.of()));
                return Uni.createFrom().voidItem();
            });
        });
    }

    private Uni<Void> write(List<AuditEvent> rows) {
        if (BlockingOperationControl.isBlockingAllowed()) {
            return Uni.createFrom().item(() -> {
                log.append(rows);
                return rows;
            }).replaceWithVoid();
        }
        // refusals answered on the event loop: the JDBC write goes to a worker and the answer waits for it
        return Uni.createFrom().item(() -> {
            log.append(rows);
            return rows;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()).replaceWithVoid();
    }

    /** The actor of the rows. */
    private record Row(String actor, String roles, String hospitals) {
        static Row of(SecurityIdentity id) {
            String name = id.getPrincipal() instanceof JsonWebToken jwt && jwt.getClaim("preferred_username") != null
                    ? jwt.getClaim("preferred_username").toString()
                    : id.getPrincipal().getName();
            String roles = String.join(",", new TreeSet<>(id.getRoles().stream().filter(SUITE_ROLES::contains)
                    .toList()));
            String hospitals = null;
            if (id.getPrincipal() instanceof JsonWebToken jwt) {
                List<String> hs = Caller.of(id).hospitals();
                hospitals = hs.isEmpty() ? null : String.join(",", hs);
            }
            return new Row(clip(name, 128), roles, hospitals);
        }

        AuditEvent event(AuditAction action, String target, String hospital, int outcome, String detail) {
            AuditEvent e = new AuditEvent();
            e.occurredAt = Instant.now();
            e.actor = actor;
            e.actorRoles = roles;
            e.hospital = clip(hospital, 512);
            e.action = action;
            e.target = clip(target, 256);
            e.outcome = outcome;
            e.detail = clip(detail, 1024);
            return e;
        }
    }

    /** What the answer itself tells: the scored patient's hospital, the model trained, the batch stored. */
    private record Derived(String target, String hospital, String detail) {
    }

    static Derived derive(Object entity) {
        if (entity instanceof ScoreView s) {
            return new Derived(s.patientId(), s.hospital(), scoreDetail(s));
        }
        if (entity instanceof ImageResource.ImageScoreView i) {
            return new Derived(i.patientId(), null, i.hasImage()
                    ? String.format(Locale.ROOT, "xray model %s image %s p=%.4f", i.modelVersion(),
                            i.imageSha256(), i.probability())
                    : "no score: " + i.reason());
        }
        if (entity instanceof ImageResource.ImageInfoView i) {
            return new Derived(i.patientId(), i.hospital(), "image " + i.sha256() + (i.replayed() ? ", replayed" : ""));
        }
        if (entity instanceof UploadReportView u) {
            return new Derived(u.batchId(), u.hospitals().isEmpty() ? null : String.join(",", u.hospitals()),
                    String.format(Locale.ROOT,
                            "rows stored %d of %d%s", u.rowsStored(), u.rowsRead(), u.replayed() ? ", replayed" : ""));
        }
        if (entity instanceof ModelView m) {
            return new Derived(m.modelId(), null, String.format(Locale.ROOT, "%s stage %d v%d%s", m.learner(),
                    m.stage(), m.version(), m.active() ? ", active" : ""));
        }
        if (entity instanceof PromotionView p) {
            return new Derived(p.modelId(), null, String.format(Locale.ROOT, "stage %d v%d, replaced %s", p.stage(),
                    p.version(), p.previousModelId() == null || p.previousModelId().isEmpty()
                            ? "none"
                            : p.previousModelId() + " v" + p.previousVersion()));
        }
        return new Derived(null, null, null);
    }

    /** Model version and result; never an input value. */
    public static String scoreDetail(ScoreView s) {
        // DGE details keep their original form; other cohorts name theirs instead of a stage
        String where = s.cohort() == null || "dge".equals(s.cohort())
                ? "stage " + s.stage()
                : "cohort " + s.cohort();
        return String.format(Locale.ROOT, "model %s v%d %s p=%.4f%s", s.modelId(), s.modelVersion(), where,
                s.probability(), s.abstain() ? " abstain" : "");
    }

    private static String targetOf(Audited a, ContainerRequestContext request) {
        if (!a.pathParam().isEmpty()) {
            return request.getUriInfo().getPathParameters().getFirst(a.pathParam());
        }
        if (!a.header().isEmpty()) {
            return request.getHeaderString(a.header());
        }
        if (!a.queryParam().isEmpty()) {
            return request.getUriInfo().getQueryParameters().getFirst(a.queryParam());
        }
        return null;
    }

    private static String template(ResourceInfo resource, String path) {
        if (resource == null || resource.getResourceMethod() == null) {
            return "(unmatched)";
        }
        Path c = resource.getResourceClass().getAnnotation(Path.class);
        Path m = resource.getResourceMethod().getAnnotation(Path.class);
        String t = (c == null ? "" : c.value()) + (m == null ? "" : (m.value().startsWith("/") ? "" : "/") + m.value());
        return t.isEmpty() ? "(unmatched)" : t;
    }

    private static String problemTitle(Object entity) {
        return entity instanceof Problem p ? p.title() : null;
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
