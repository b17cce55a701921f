package org.covidrisk.ensemble.learn;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;

import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.transform.TransformTrainer;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.transformations.MeanStdDevTransformation;

/**
 * A Tribuo classification model on standardised features, with the columns it uses (constant training columns
 * are left out: standardising them would divide by zero). Shared by the Tribuo-backed learners (logistic, LASSO,
 * kNN, SVM); the artifact is Tribuo's Java serialization behind an allow-list filter.
 */
public class TribuoFitted extends BaseFitted {

    /** Serialized format of the artifact. */
    public static final String FORMAT = "tribuo-java-serialization/" + org.tribuo.Tribuo.VERSION;
    static final String DIED = "died";
    static final String SURVIVED = "survived";
    static final LabelFactory LABELS = new LabelFactory();

    /** Only Tribuo, OLCUT, LibLinear, LibSVM and JDK types may be deserialized from a stored artifact. */
    private static final ObjectInputFilter FILTER = ObjectInputFilter.Config.createFilter(
            "org.tribuo.**;com.oracle.labs.mlrg.olcut.**;de.bwaldvogel.liblinear.**;libsvm.**;java.**;[D;[I;[J;"
                    + "[F;[Z;[B;[[D;[Ljava.**;[Lorg.tribuo.**;[Lde.bwaldvogel.**;[Llibsvm.**;[Lcom.oracle.**;!*");

    private final Model<Label> model;
    private final List<String> used;
    private final int[] usedIndex;
    private final String[] usedNames;

    protected TribuoFitted(String name, Model<Label> model, List<String> featureNames, List<String> used) {
        super(name, featureNames, FORMAT);
        this.model = model;
        this.used = List.copyOf(used);
        this.usedIndex = used.stream().mapToInt(featureNames()::indexOf).toArray();
        this.usedNames = used.toArray(String[]::new);
    }

    /** Names of the non-constant columns of the data: the only ones a standardised model can use. */
    static List<String> nonConstantColumns(TrainingData data) {
        List<String> used = new ArrayList<>();
        for (int j = 0; j < data.featureNames().size(); j++) {
            double first = data.rows().get(0)[j];
            for (double[] row : data.rows()) {
                if (Double.compare(row[j], first) != 0) {
                    used.add(data.featureNames().get(j));
                    break;
                }
            }
        }
        if (used.isEmpty()) {
            throw new IllegalArgumentException("every feature is constant in the training data");
        }
        return used;
    }

    /** Trains the Tribuo trainer behind mean/std standardisation on the used columns. */
    static Model<Label> train(Trainer<Label> inner, TrainingData data, List<String> used) {
        return train(inner, data, used, java.util.Set.of());
    }

    /**
     * Trains the Tribuo trainer behind mean/std standardisation of the used columns except {@code unscaled},
     * which enter as they are (one-hot indicators of a categorical input, as scikit-learn's
     * {@code ColumnTransformer(StandardScaler on numbers, OneHotEncoder on categories)} leaves them).
     */
    static Model<Label> train(Trainer<Label> inner, TrainingData data, List<String> used,
            java.util.Set<String> unscaled) {
        int[] idx = used.stream().mapToInt(data.featureNames()::indexOf).toArray();
        String[] names = used.toArray(String[]::new);
        List<Example<Label>> examples = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            double[] row = data.rows().get(i);
            double[] x = new double[idx.length];
            for (int k = 0; k < x.length; k++) {
                x[k] = row[idx[k]];
            }
            examples.add(new ArrayExample<>(new Label(data.died()[i] ? DIED : SURVIVED), names, x));
        }
        var source = new ListDataSource<>(examples, LABELS, new SimpleDataSourceProvenance("covid-risk cohort",
                LABELS));
        TransformationMap transformations;
        if (unscaled.isEmpty()) {
            transformations = new TransformationMap(List.of(new MeanStdDevTransformation()));
        } else {
            // per-feature standardisation of the scaled columns only; no global transformation touches the rest
            java.util.Map<String, List<org.tribuo.transform.Transformation>> perFeature = new java.util.HashMap<>();
            for (String n : names) {
                if (!unscaled.contains(n)) {
                    perFeature.put(n, List.of(new MeanStdDevTransformation()));
                }
            }
            transformations = new TransformationMap(List.of(), perFeature);
        }
        var trainer = new TransformTrainer<>(inner, transformations, true);
        trainer.setInvocationCount(0);
        return trainer.train(new MutableDataset<>(source));
    }

    /** Features the model actually uses (constant training columns are dropped). */
    public List<String> usedFeatures() {
        return used;
    }

    @Override
    public double[] predict(List<double[]> rows) {
        List<Example<Label>> examples = new ArrayList<>(rows.size());
        for (double[] r : rows) {
            examples.add(example(r));
        }
        List<Prediction<Label>> predictions = model.predict(examples);
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = score(predictions.get(i));
        }
        return out;
    }

    @Override
    public double predict(double[] values) {
        return score(model.predict(example(values)));
    }

    /** The model's score for "died": a probability for probabilistic trainers, a decision value otherwise. */
    private static double score(Prediction<Label> p) {
        Label died = p.getOutputScores().get(DIED);
        return died == null ? 0.0 : died.getScore();
    }

    private Example<Label> example(double[] values) {
        checkWidth(values);
        double[] x = new double[usedIndex.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = values[usedIndex[i]];
        }
        return new ArrayExample<>(LABELS.getUnknownOutput(), usedNames, x);
    }

    /** Tribuo's own provenance record of the model, as text. */
    public String tribuoProvenance() {
        return model.getProvenance().toString();
    }

    /** Java serialization of the Tribuo model, with the feature order first. */
    @Override
    public byte[] serialize() {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(String.join(",", featureNames()));
            out.writeObject(String.join(",", used));
            out.writeObject(model);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize model", e);
        }
    }

    /** The parts of an artifact written by {@link #serialize()}. */
    record Parts(Model<Label> model, List<String> featureNames, List<String> used) {
    }

    @SuppressWarnings("unchecked")
    static Parts read(byte[] artifact) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(artifact))) {
            in.setObjectInputFilter(FILTER);
            String names = (String) in.readObject();
            String used = (String) in.readObject();
            Model<Label> model = (Model<Label>) in.readObject();
            return new Parts(model, List.of(names.split(",")), List.of(used.split(",")));
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            throw new IllegalStateException("stored model cannot be read: " + e.getMessage(), e);
        }
    }

    /** Loads any Tribuo-backed artifact under the given learner name. */
    public static TribuoFitted deserialize(String name, byte[] artifact) {
        Parts p = read(artifact);
        return new TribuoFitted(name, p.model(), p.featureNames(), p.used());
    }
}
