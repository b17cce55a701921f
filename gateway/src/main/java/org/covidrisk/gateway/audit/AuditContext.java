package org.covidrisk.gateway.audit;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.RequestScoped;

/**
 * What an endpoint adds to its audit row(s) beyond what {@link AuditFilter} derives: a target or detail known only
 * inside the method, or extra rows (one per patient of a batch score).
 */
@RequestScoped
public class AuditContext {

    /** An extra row of this request. */
    public record Entry(AuditAction action, String target, String hospital, int outcome, String detail) {
    }

    private String target;
    private String detail;
    private String hospital;
    private final List<Entry> extra = new ArrayList<>();

    public void target(String target) {
        this.target = target;
    }

    public void detail(String detail) {
        this.detail = detail;
    }

    public void hospital(String hospital) {
        this.hospital = hospital;
    }

    public void add(Entry entry) {
        extra.add(entry);
    }

    String target() {
        return target;
    }

    String detail() {
        return detail;
    }

    String hospital() {
        return hospital;
    }

    List<Entry> extra() {
        return List.copyOf(extra);
    }
}
