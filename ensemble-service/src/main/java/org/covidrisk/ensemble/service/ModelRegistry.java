package org.covidrisk.ensemble.service;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.covidrisk.ensemble.ModelVersion;
import org.covidrisk.ensemble.learn.FittedModel;
import org.covidrisk.ensemble.learn.Learners;
import org.covidrisk.ensemble.learn.PopulationSnapshot;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Versioned model store. Loads each artifact once and keeps it (a trained Tribuo model is immutable and
 * thread-safe for prediction).
 */
@ApplicationScoped
public class ModelRegistry {

    /** An active model with its loaded artifact and, when it uses meta-features, its training population. */
    public record Loaded(ModelVersion version, FittedModel model, PopulationSnapshot population) {
    }

    private final Map<String, Loaded> loaded = new ConcurrentHashMap<>();

    /** Stores a new version of the stage; when promoted, it becomes the only active model of that stage. */
    public ModelVersion store(ModelVersion v, boolean promote) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Integer max = ModelVersion.find("select max(m.version) from ModelVersion m where m.stage = ?1", v.stage)
                    .project(Integer.class).firstResult();
            v.version = max == null ? 1 : max + 1;
            if (promote) {
                ModelVersion.update("active = false where stage = ?1 and active = true", v.stage);
            }
            v.active = promote;
            v.persist();
            return v;
        });
    }

    public List<ModelVersion> list() {
        return QuarkusTransaction.requiringNew()
                .call(() -> ModelVersion.<ModelVersion>list("order by createdAt desc, version desc"));
    }

    /** The active model of a stage, loaded. */
    public Optional<Loaded> active(int stage) {
        Optional<ModelVersion> v = QuarkusTransaction.requiringNew()
                .call(() -> ModelVersion.<ModelVersion>find("stage = ?1 and active = true", stage)
                        .firstResultOptional());
        return v.map(m -> loaded.computeIfAbsent(m.modelId, id -> new Loaded(m, Learners.load(m.learner,
                m.artifact), m.population == null ? null : PopulationSnapshot.fromBytes(m.population))));
    }
}
