package org.covidrisk.ensemble.learn;

import java.util.List;

/** The identity every fitted model carries: learner name, feature order and artifact format. */
abstract class BaseFitted implements FittedModel {

    private final String learner;
    private final List<String> featureNames;
    private final String format;

    BaseFitted(String learner, List<String> featureNames, String format) {
        this.learner = learner;
        this.featureNames = List.copyOf(featureNames);
        this.format = format;
    }

    @Override
    public final String learner() {
        return learner;
    }

    @Override
    public final List<String> featureNames() {
        return featureNames;
    }

    @Override
    public final String format() {
        return format;
    }
}
