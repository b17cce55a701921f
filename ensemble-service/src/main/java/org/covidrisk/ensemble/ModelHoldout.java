package org.covidrisk.ensemble;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * The hold-out predictions of one model ({@link org.covidrisk.ensemble.evaluation.HoldoutPredictions} bytes), from
 * which its reports are computed over the hospitals the reader may see.
 */
@Entity
@Table(name = "model_holdout")
public class ModelHoldout extends PanacheEntityBase {

    @Id
    @Column(name = "model_id", length = 36)
    public String modelId;

    @Column(name = "rows_count", nullable = false)
    public int rows;

    @Column(nullable = false)
    public byte[] predictions;
}
