package org.covidrisk.gateway.audit;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * One row of the append-only audit log. {@link Immutable}: Hibernate never issues an UPDATE for it, and no code
 * path deletes; on PostgreSQL a trigger refuses UPDATE, DELETE and TRUNCATE as well. Never holds clinical values:
 * a score's detail is the model version and the probability.
 */
@Entity
@Immutable
@Table(name = "audit_event")
public class AuditEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    /** User name from the token. */
    @Column(nullable = false, length = 128)
    public String actor;

    /** The actor's suite roles, comma-separated. */
    @Column(name = "actor_roles", nullable = false, length = 512)
    public String actorRoles;

    /** Hospital the action concerns (a score: the patient's), else the actor's hospitals, comma-separated. */
    @Column(length = 512)
    public String hospital;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 32)
    public AuditAction action;

    /** Patient key, model id, batch id, user name, or the route of a refused request. */
    @Column(length = 256)
    public String target;

    /** HTTP status of the answer. */
    @Column(nullable = false)
    public int outcome;

    /** Model version and probability of a score, a role, counts; never clinical values. */
    @Column(length = 1024)
    public String detail;
}
