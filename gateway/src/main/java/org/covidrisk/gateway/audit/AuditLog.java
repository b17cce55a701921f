package org.covidrisk.gateway.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.quarkus.panache.common.Parameters;

/**
 * The audit log: appends rows and answers queries. There is deliberately no update or delete method; the table
 * refuses both on PostgreSQL too (see {@code db/postgresql}).
 */
@ApplicationScoped
public class AuditLog {

    /**
     * A query; null fields do not filter.
     *
     * @param beforeId keyset cursor: only rows with a smaller id (the previous page's {@code nextBeforeId})
     * @param limit page size
     */
    public record Query(String actor, AuditAction action, String hospital, Instant from, Instant to, Long beforeId,
            int limit) {
    }

    /** Appends the rows in one transaction of their own, so a failed action still leaves its trace. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void append(List<AuditEvent> events) {
        for (AuditEvent e : events) {
            if (e.id != null) {
                throw new IllegalArgumentException("audit rows are append-only");
            }
            e.persist();
        }
    }

    /** Newest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<AuditEvent> find(Query q) {
        List<String> where = new ArrayList<>();
        Parameters p = new Parameters();
        if (q.actor() != null) {
            where.add("actor = :actor");
            p = p.and("actor", q.actor());
        }
        if (q.action() != null) {
            where.add("action = :action");
            p = p.and("action", q.action());
        }
        if (q.hospital() != null) {
            // the column holds one key or a comma-separated list; match whole keys only
            where.add("concat(',', hospital, ',') like :hospital");
            p = p.and("hospital", "%," + q.hospital() + ",%");
        }
        if (q.from() != null) {
            where.add("occurredAt >= :from");
            p = p.and("from", q.from());
        }
        if (q.to() != null) {
            where.add("occurredAt < :to");
            p = p.and("to", q.to());
        }
        if (q.beforeId() != null) {
            where.add("id < :before");
            p = p.and("before", q.beforeId());
        }
        String query = (where.isEmpty() ? "1 = 1" : String.join(" and ", where)) + " order by id desc";
        return AuditEvent.<AuditEvent>find(query, p).page(0, q.limit()).list();
    }
}
