package org.covidrisk.ensemble;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * One promotion in the append-only audit trail: a model became the active one of its stage. Rows are inserted,
 * never updated or deleted.
 */
@Entity
@Table(name = "model_promotion")
public class ModelPromotion extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "model_id", nullable = false, length = 36)
    public String modelId;

    @Column(nullable = false)
    public int version;

    @Column(nullable = false)
    public int stage;

    /** {@link Cohort} name of the promoted model. */
    @Column(nullable = false, length = 16)
    public String cohort = Cohort.DGE.name();

    /** The model that was active for the stage before; null when none was. */
    @Column(name = "previous_model_id", length = 36)
    public String previousModelId;

    @Column(name = "previous_version")
    public Integer previousVersion;

    /** User name from the caller's token. */
    @Column(name = "promoted_by", nullable = false, length = 128)
    public String promotedBy;

    @Column(name = "promoted_at", nullable = false)
    public Instant promotedAt;

    @Column(nullable = false, length = 1000)
    public String reason;
}
