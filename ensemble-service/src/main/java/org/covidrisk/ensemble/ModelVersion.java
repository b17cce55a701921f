package org.covidrisk.ensemble;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One trained model version in the registry, with its provenance, metrics and serialized artifact. */
@Entity
@Table(name = "model_version")
public class ModelVersion extends PanacheEntityBase {

    /** Random UUID. */
    @Id
    @Column(name = "model_id", length = 36)
    public String modelId;

    /** 1, 2, ... per stage. */
    @Column(nullable = false)
    public int version;

    @Column(nullable = false, length = 64)
    public String learner;

    @Column(nullable = false)
    public int stage;

    @Column(name = "feature_set", nullable = false, length = 64)
    public String featureSet;

    /** Feature names in the order the artifact expects, comma-separated. */
    @Column(name = "feature_names", nullable = false, length = 4000)
    public String featureNames;

    @Column(name = "n_train", nullable = false)
    public long nTrain;

    @Column(name = "n_deaths", nullable = false)
    public long nDeaths;

    /** JSON object of hold-out metrics. */
    @Column(name = "metrics_json", nullable = false, length = 4000)
    public String metricsJson;

    /** JSON provenance: learner options, data hash, rows, feature set, seed, split, library versions, time. */
    @Column(name = "provenance_json", nullable = false, length = 16000)
    public String provenanceJson;

    /** Serialized model (format named in provenance). */
    @Column(nullable = false)
    public byte[] artifact;

    /** Training population of a model with population meta-features ({@link org.covidrisk.ensemble.learn.PopulationSnapshot}). */
    public byte[] population;

    /** K of the population meta-features; null when the model has none. */
    @Column(name = "meta_k")
    public Integer metaK;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false, length = 128)
    public String createdBy;

    @Column(nullable = false)
    public boolean active;
}
