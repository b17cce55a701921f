package org.covidrisk.cli.xray;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import org.covidrisk.ensemble.learn.FittedModel;
import org.covidrisk.ensemble.learn.TrainingData;
import org.covidrisk.ensemble.learn.XraySecondLayer;
import org.covidrisk.imaging.model.SecondLayerFitter;

/**
 * imaging-model's {@link SecondLayerFitter} backed by the served second layer, ensemble-service's
 * {@link XraySecondLayer}: rows are built by {@link XraySecondLayer#row} (the CNN probability enters as its logit,
 * then age and sex, 1 = male) and fitted by {@link XraySecondLayer#learner} (the {@code logistic} learner: Tribuo
 * LibLinear, L2, standardised inputs); the age + sex baseline is the same learner on those two columns, as
 * {@link XraySecondLayer#measure} fits it.
 *
 * <p>Missing values: ensemble's X-ray training leaves out a patient without age or sex; the shared X-ray metadata
 * lacks them for some patients, who are kept here for the patient-level AUROC, with a missing value filled by its
 * column's training median (training and scored rows alike; the median of sex is 0 or 1).
 */
public final class EnsembleSecondLayer implements SecondLayerFitter {

    /** What the reports name as the second layer. */
    public static final String DESCRIPTION = "ensemble-service XraySecondLayer (logistic on CNN logit, age, sex)";

    private final long seed;

    public EnsembleSecondLayer(long seed) {
        this.seed = seed;
    }

    @Override
    public ToDoubleFunction<double[]> fit(List<String> names, List<double[]> rows, boolean[] died) {
        int cnn = names.indexOf(CNN);
        int age = names.indexOf(AGE);
        int male = names.indexOf(MALE);
        if (age < 0 || male < 0 || names.size() != (cnn < 0 ? 2 : 3)) {
            throw new IllegalArgumentException("second-layer inputs are cnn, age, male or age, male; got " + names);
        }
        List<String> all = XraySecondLayer.features(false);
        List<String> columns = cnn < 0 ? List.of(XraySecondLayer.AGE, XraySecondLayer.MALE) : all;
        int[] keep = columns.stream().mapToInt(all::indexOf).toArray();
        double[] fill = medians(rows, names.size());
        Function<double[], double[]> toRow = r -> {
            double[] full = XraySecondLayer.row(cnn < 0 ? 0.5 : value(r, cnn, fill), value(r, age, fill),
                    value(r, male, fill) >= 0.5, false, Double.NaN);
            double[] x = new double[keep.length];
            for (int k = 0; k < keep.length; k++) {
                x[k] = full[keep[k]];
            }
            return x;
        };
        List<double[]> x = new ArrayList<>(rows.size());
        rows.forEach(r -> x.add(toRow.apply(r)));
        FittedModel model = XraySecondLayer.learner(seed).fit(new TrainingData(columns, x, died));
        return r -> model.predict(toRow.apply(r));
    }

    private static double value(double[] row, int j, double[] fill) {
        return Double.isNaN(row[j]) ? fill[j] : row[j];
    }

    /** Per column, the median of the known training values (the upper one for an even count; 0 when none). */
    static double[] medians(List<double[]> rows, int width) {
        double[] out = new double[width];
        for (int j = 0; j < width; j++) {
            final int col = j;
            double[] known = rows.stream().mapToDouble(r -> r[col]).filter(v -> !Double.isNaN(v)).sorted().toArray();
            out[j] = known.length == 0 ? 0 : known[known.length / 2];
        }
        return out;
    }
}
