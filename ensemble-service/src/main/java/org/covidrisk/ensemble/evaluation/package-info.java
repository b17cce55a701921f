/**
 * Evaluation of predicted death probabilities, in one place for training, reports and the {@code validate}
 * command. {@link org.covidrisk.ensemble.evaluation.BinaryMetrics#of} gives the scalar metrics as a snake_case map
 * (the model registry's {@code metrics} and the CLI's JSON keys);
 * {@link org.covidrisk.ensemble.evaluation.Evaluation#of} adds the curves: confusion matrix, ROC points,
 * reliability diagram, the stacking paper's reliability profile and the PLOS paper's hypothesis-test mode;
 * {@link org.covidrisk.ensemble.evaluation.Evaluation#byGroup} breaks the metrics down by hospital. Every type is
 * an immutable record of numbers and lists that Jackson serialises as it is. The scalar definitions follow
 * scikit-learn; the tests compare them with values printed by
 * {@code src/test/resources/org/covidrisk/ensemble/evaluation/sklearn_reference.py}.
 */
package org.covidrisk.ensemble.evaluation;
