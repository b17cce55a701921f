package org.covidrisk.imaging.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.liblinear.LibLinearClassificationTrainer;
import org.tribuo.classification.liblinear.LinearClassificationType;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.transform.TransformTrainer;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.transformations.MeanStdDevTransformation;

/**
 * The paper's second layer: L2-regularised logistic regression (LibLinear through Tribuo, as ensemble-service's
 * learner) on standardised features, e.g. CNN output + age + sex, or age + sex alone as the baseline. Missing age
 * or sex are filled with the training median, recorded in the fitted model.
 */
public final class SecondLayer {

    private static final LabelFactory LABELS = new LabelFactory();
    private static final String DIED = "died";

    private final Model<Label> model;
    private final String[] names;
    private final double[] fill;

    private SecondLayer(Model<Label> model, String[] names, double[] fill) {
        this.model = model;
        this.names = names;
        this.fill = fill;
    }

    /** Fits on rows of {@code names.length} features; NaN is missing. */
    public static SecondLayer fit(String[] names, List<double[]> rows, boolean[] died) {
        double[] fill = new double[names.length];
        for (int j = 0; j < names.length; j++) {
            final int col = j;
            double[] known = rows.stream().mapToDouble(r -> r[col]).filter(v -> !Double.isNaN(v)).sorted().toArray();
            fill[j] = known.length == 0 ? 0 : known[known.length / 2];
        }
        List<org.tribuo.Example<Label>> examples = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            examples.add(new ArrayExample<>(new Label(died[i] ? DIED : "survived"), names, filled(rows.get(i),
                    fill)));
        }
        var source = new ListDataSource<>(examples, LABELS, new SimpleDataSourceProvenance("imaging patients",
                LABELS));
        var liblinear = new LibLinearClassificationTrainer(
                new LinearClassificationType(LinearClassificationType.LinearType.L2R_LR), 1.0, 1000, 1e-4);
        liblinear.setInvocationCount(0);
        var trainer = new TransformTrainer<>(liblinear,
                new TransformationMap(List.of(new MeanStdDevTransformation())), true);
        trainer.setInvocationCount(0);
        return new SecondLayer(trainer.train(new MutableDataset<>(source)), names.clone(), fill);
    }

    /** Probability of death. */
    public double predict(double[] row) {
        var p = model.predict(new ArrayExample<>(LABELS.getUnknownOutput(), names, filled(row, fill)));
        Label died = p.getOutputScores().get(DIED);
        return died == null ? 0 : died.getScore();
    }

    private static double[] filled(double[] row, double[] fill) {
        double[] x = Arrays.copyOf(row, row.length);
        for (int j = 0; j < x.length; j++) {
            if (Double.isNaN(x[j])) {
                x[j] = fill[j];
            }
        }
        return x;
    }
}
