package org.covidrisk.ensemble.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.covidrisk.ensemble.Cohort;
import org.covidrisk.ensemble.ModelHoldout;
import org.covidrisk.ensemble.ModelPromotion;
import org.covidrisk.ensemble.ModelVersion;
import org.covidrisk.ensemble.evaluation.HoldoutPredictions;
import org.covidrisk.ensemble.learn.FittedModel;
import org.covidrisk.ensemble.learn.Learners;
import org.covidrisk.ensemble.learn.PopulationSnapshot;
import org.covidrisk.feature.v1.Imputer;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.grpc.GrpcProblems.Violation;

import com.google.protobuf.InvalidProtocolBufferException;

import io.grpc.Status;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Versioned model store and its promotion audit trail. Loads each artifact once and keeps it (a trained model is
 * immutable and thread-safe for prediction).
 */
@ApplicationScoped
public class ModelRegistry {

    /**
     * An active model with its loaded artifact, its MICE imputer (null when it has none) and, when it uses
     * meta-features, its training population.
     */
    public record Loaded(ModelVersion version, FittedModel model, Imputer imputer, PopulationSnapshot population) {
    }

    /**
     * The answer to a promotion.
     *
     * @param promotion the row written, or for a model that was already active the row that made it so (a
     *        transient one with only the model fields when it became active before promotions were recorded)
     * @param changed false when the model was already the active one (nothing was written)
     */
    public record PromotionResult(ModelPromotion promotion, boolean changed) {
    }

    /** Reason recorded for a model promoted by its Train call. */
    public static final String PROMOTED_AT_TRAINING = "promoted by its Train call";

    private final Map<String, Loaded> loaded = new ConcurrentHashMap<>();

    /**
     * Stores a new version of the model's (cohort, stage) with its hold-out predictions; when promoted, it becomes
     * the only active model of that (cohort, stage) and the promotion is recorded, all in one transaction.
     */
    public ModelVersion store(ModelVersion v, boolean promote, HoldoutPredictions holdout) {
        return QuarkusTransaction.requiringNew().call(() -> {
            lockStage(v.cohort, v.stage);
            Integer max = ModelVersion
                    .find("select max(m.version) from ModelVersion m where m.cohort = ?1 and m.stage = ?2", v.cohort,
                            v.stage)
                    .project(Integer.class).firstResult();
            v.version = max == null ? 1 : max + 1;
            Optional<Object[]> previous = activeOf(v.cohort, v.stage);
            if (promote) {
                ModelVersion.update("active = false where cohort = ?1 and stage = ?2 and active = true", v.cohort,
                        v.stage);
            }
            v.active = promote;
            v.persist();
            ModelHoldout h = new ModelHoldout();
            h.modelId = v.modelId;
            h.rows = holdout.size();
            h.predictions = holdout.toBytes();
            h.persist();
            if (promote) {
                record(v, previous, v.createdBy, PROMOTED_AT_TRAINING);
            }
            return v;
        });
    }

    /**
     * Makes a model the active one of its (cohort, stage) in one transaction, recording who did it and which model it
     * replaced. Promoting the model that is already active changes nothing and writes no row.
     *
     * @throws io.grpc.StatusRuntimeException NOT_FOUND for an unknown model id
     */
    public PromotionResult promote(String modelId, String actor, String reason) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Object[] target = Panache.getEntityManager()
                    .createQuery("select m.modelId, m.version, m.stage, m.cohort from ModelVersion m"
                            + " where m.modelId = ?1", Object[].class)
                    .setParameter(1, modelId).getResultStream().findFirst().orElseThrow(() -> GrpcProblems.of(
                            Status.Code.NOT_FOUND, "no model " + modelId, List.of(new Violation("model_id",
                                    "unknown model"))));
            int version = (Integer) target[1];
            int stage = (Integer) target[2];
            String cohort = (String) target[3];
            lockStage(cohort, stage);
            Optional<Object[]> previous = activeOf(cohort, stage);
            if (previous.isPresent() && modelId.equals(previous.get()[0])) {
                ModelPromotion last = ModelPromotion
                        .<ModelPromotion>find("modelId = ?1 order by promotedAt desc, id desc",
                                modelId)
                        .firstResult();
                if (last == null) {
                    last = new ModelPromotion();
                    last.modelId = modelId;
                    last.version = version;
                    last.stage = stage;
                    last.cohort = cohort;
                }
                return new PromotionResult(last, false);
            }
            ModelVersion.update("active = false where cohort = ?1 and stage = ?2 and active = true", cohort, stage);
            ModelVersion.update("active = true where modelId = ?1", modelId);
            ModelVersion ref = new ModelVersion();
            ref.modelId = modelId;
            ref.version = version;
            ref.stage = stage;
            ref.cohort = cohort;
            return new PromotionResult(record(ref, previous, actor, reason), true);
        });
    }

    /** Promotions of one stage (0: every stage), newest first. */
    public List<ModelPromotion> promotions(int stage) {
        return QuarkusTransaction.requiringNew().call(() -> stage == 0
                ? ModelPromotion.<ModelPromotion>list("order by promotedAt desc, id desc")
                : ModelPromotion.<ModelPromotion>list("stage = ?1 order by promotedAt desc, id desc", stage));
    }

    public List<ModelVersion> list() {
        return QuarkusTransaction.requiringNew()
                .call(() -> ModelVersion.<ModelVersion>list("order by createdAt desc, version desc"));
    }

    /** A stored model by id. */
    public Optional<ModelVersion> find(String modelId) {
        return QuarkusTransaction.requiringNew().call(() -> ModelVersion.<ModelVersion>findByIdOptional(modelId));
    }

    /** The active DGE model version of a stage, not loaded. */
    public Optional<ModelVersion> activeVersion(int stage) {
        return activeVersion(Cohort.DGE, stage);
    }

    /** The active model version of a (cohort, stage), not loaded. */
    public Optional<ModelVersion> activeVersion(Cohort cohort, int stage) {
        return QuarkusTransaction.requiringNew()
                .call(() -> ModelVersion
                        .<ModelVersion>find("cohort = ?1 and stage = ?2 and active = true", cohort.name(), stage)
                        .firstResultOptional());
    }

    /** The hold-out predictions of a model; empty for models trained before they were stored. */
    public Optional<HoldoutPredictions> holdout(String modelId) {
        return QuarkusTransaction.requiringNew()
                .call(() -> ModelHoldout.<ModelHoldout>findByIdOptional(modelId))
                .map(h -> HoldoutPredictions.fromBytes(h.predictions));
    }

    /** The active DGE model of a stage, loaded. */
    public Optional<Loaded> active(int stage) {
        return active(Cohort.DGE, stage);
    }

    /** The active model of a (cohort, stage), loaded. */
    public Optional<Loaded> active(Cohort cohort, int stage) {
        return activeVersion(cohort, stage).map(m -> loaded.computeIfAbsent(m.modelId, id -> new Loaded(m,
                Learners.load(m.learner, m.artifact), imputer(m), m.population == null
                        ? null
                        : PopulationSnapshot.fromBytes(m.population))));
    }

    private static Imputer imputer(ModelVersion m) {
        if (m.imputer == null) {
            return null;
        }
        try {
            return Imputer.parseFrom(m.imputer);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("the stored imputer of model " + m.modelId + " cannot be read", e);
        }
    }

    /**
     * Locks the (cohort, stage)'s versions until the transaction ends, so that concurrent promotions (or a
     * promoting Train) of one (cohort, stage) run one after the other and it keeps a single active model.
     */
    private static void lockStage(String cohort, int stage) {
        Panache.getEntityManager()
                .createNativeQuery("SELECT model_id FROM model_version WHERE cohort = ?1 AND stage = ?2 FOR UPDATE")
                .setParameter(1, cohort).setParameter(2, stage).getResultList();
    }

    /** (model id, version) of the (cohort, stage)'s active model. */
    private static Optional<Object[]> activeOf(String cohort, int stage) {
        return Panache.getEntityManager()
                .createQuery("select m.modelId, m.version from ModelVersion m where m.cohort = ?1 and m.stage = ?2"
                        + " and m.active = true", Object[].class)
                .setParameter(1, cohort).setParameter(2, stage).getResultStream().findFirst();
    }

    private static ModelPromotion record(ModelVersion promoted, Optional<Object[]> previous, String actor,
            String reason) {
        ModelPromotion p = new ModelPromotion();
        p.modelId = promoted.modelId;
        p.version = promoted.version;
        p.stage = promoted.stage;
        p.cohort = promoted.cohort;
        p.previousModelId = previous.map(r -> (String) r[0]).orElse(null);
        p.previousVersion = previous.map(r -> (Integer) r[1]).orElse(null);
        p.promotedBy = actor;
        // the databases keep microseconds: truncate so that the answer equals the row read back later
        p.promotedAt = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        p.reason = reason == null ? "" : reason;
        p.persist();
        return p;
    }
}
