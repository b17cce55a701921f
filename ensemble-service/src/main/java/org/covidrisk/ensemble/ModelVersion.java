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

    /** Missing inputs filled with fixed values by feature-service (models stored before imputation). */
    public static final String MISSING_FILL = "fill";
    /** Missing inputs stay NaN (tree learners). */
    public static final String MISSING_KEEP = "keep";
    /** Missing inputs imputed by the model's MICE imputer. */
    public static final String MISSING_MICE = "mice";

    /** Random UUID. */
    @Id
    @Column(name = "model_id", length = 36)
    public String modelId;

    /** 1, 2, ... per (cohort, stage). */
    @Column(nullable = false)
    public int version;

    @Column(nullable = false, length = 64)
    public String learner;

    @Column(nullable = false)
    public int stage;

    /** {@link Cohort} name: the records the model was trained on. */
    @Column(nullable = false, length = 16)
    public String cohort = Cohort.DGE.name();

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

    /**
     * How the model's inputs treat a missing value: {@code fill} (models stored before imputation: "no" for a
     * yes/no input, the adult median for age), {@code keep} (NaN, tree learners) or {@code mice} (imputed by
     * {@link #imputer}).
     */
    @Column(name = "missing_values", nullable = false, length = 8)
    public String missingValues = MISSING_FILL;

    /**
     * The MICE imputer fitted on the training rows ({@code covidrisk.feature.v1.Imputer} bytes); present for
     * {@code mice} models and for tree models with population meta-features (their similarity search needs
     * complete vectors).
     */
    public byte[] imputer;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false, length = 128)
    public String createdBy;

    @Column(nullable = false)
    public boolean active;
}
