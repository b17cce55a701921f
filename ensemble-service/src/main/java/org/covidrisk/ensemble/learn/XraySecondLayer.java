package org.covidrisk.ensemble.learn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.covidrisk.ensemble.evaluation.BinaryMetrics;

/**
 * The second layer of the IJIMAI X-ray paper: a logistic regression on the CNN's output, age and sex, with the
 * clinical stage model's output as a fourth input when one was used. Probabilities enter as logits (the scale on
 * which a logistic model combines them linearly); the fit is the suite's {@link LogisticLearner} (Tribuo LibLinear,
 * L2, standardised inputs), so nothing here is a new learning algorithm: this class fixes the inputs and measures
 * the combination against its parts.
 */
public final class XraySecondLayer {

    /** Logit of the CNN's probability of death. */
    public static final String CNN = "cnn_logit";
    public static final String AGE = "age";
    /** 1 for male, 0 for female. */
    public static final String MALE = "sex_male";
    /** Logit of the clinical stage model's probability. */
    public static final String CLINICAL = "clinical_logit";

    /** Probabilities are clipped to [EPS, 1 - EPS] before the logit, so a CNN's 0 or 1 stays finite. */
    static final double EPS = 1e-6;

    private XraySecondLayer() {
    }

    /** The model's inputs, in order. */
    public static List<String> features(boolean clinical) {
        return clinical ? List.of(CNN, AGE, MALE, CLINICAL) : List.of(CNN, AGE, MALE);
    }

    public static double logit(double p) {
        double q = Math.min(1 - EPS, Math.max(EPS, p));
        return Math.log(q / (1 - q));
    }

    /** One input row; {@code clinicalProbability} is ignored when {@code clinical} is false. */
    public static double[] row(double cnnProbability, double age, boolean male, boolean clinical,
            double clinicalProbability) {
        return clinical
                ? new double[]{logit(cnnProbability), age, male ? 1 : 0, logit(clinicalProbability)}
                : new double[]{logit(cnnProbability), age, male ? 1 : 0};
    }

    public static LogisticLearner learner(long seed) {
        return new LogisticLearner(LogisticLearner.Options.defaults(), seed);
    }

    /**
     * A second layer measured on a hold-out.
     *
     * @param holdoutProbabilities the second layer's probabilities on the hold-out rows
     * @param comparison hold-out AUROC of the second layer and of its parts on the same rows
     */
    public record Measured(double[] holdoutProbabilities, Map<String, Double> comparison) {
    }

    /**
     * Fits the second layer on {@code train} and scores {@code holdout}; on the same hold-out rows it measures the
     * CNN alone (its own output, nothing fitted), age + sex alone (a logistic model fitted on the same training rows)
     * and, with a clinical input, the clinical model alone.
     */
    public static Measured measure(TrainingData train, TrainingData holdout, long seed) {
        LogisticLearner lr = learner(seed);
        double[] p = lr.fit(train).predict(holdout.rows());
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("auroc_second_layer", BinaryMetrics.auroc(p, holdout.died()));
        // the logit is monotone, so the AUROC of the CNN's logit is that of its probability
        out.put("auroc_cnn_alone", BinaryMetrics.auroc(column(holdout, CNN), holdout.died()));
        List<String> ageSex = List.of(AGE, MALE);
        out.put("auroc_age_sex_alone", BinaryMetrics.auroc(lr.fit(train.select(ageSex))
                .predict(holdout.select(ageSex).rows()), holdout.died()));
        if (train.featureNames().contains(CLINICAL)) {
            out.put("auroc_clinical_alone", BinaryMetrics.auroc(column(holdout, CLINICAL), holdout.died()));
        }
        return new Measured(p, out);
    }

    static double[] column(TrainingData d, String name) {
        int j = d.featureNames().indexOf(name);
        double[] out = new double[d.size()];
        List<double[]> rows = new ArrayList<>(d.rows());
        for (int i = 0; i < out.length; i++) {
            out[i] = rows.get(i)[j];
        }
        return out;
    }
}
