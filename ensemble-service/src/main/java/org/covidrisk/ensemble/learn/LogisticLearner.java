package org.covidrisk.ensemble.learn;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
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
 * L2-regularised logistic regression (LibLinear through Tribuo) on standardised features: the suite's first
 * model. Options follow Tribuo's Trainer/Options split; the trained model keeps Tribuo's provenance.
 */
public final class LogisticLearner {

    /** Learner name in the registry. */
    public static final String NAME = "logistic";
    /** Serialized format of the artifact. */
    public static final String FORMAT = "tribuo-java-serialization/" + org.tribuo.Tribuo.VERSION;
    static final String DIED = "died";
    static final String SURVIVED = "survived";

    /** Options with defaults. */
    public record Options(double cost, int maxIterations, double epsilon) {
        public static Options defaults() {
            return new Options(1.0, 1000, 0.001);
        }

        public Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "L2R_LR");
            m.put("cost", cost);
            m.put("maxIterations", maxIterations);
            m.put("epsilon", epsilon);
            m.put("standardisation", "mean-std");
            return m;
        }
    }

    /** A trained model with the feature order it expects. */
    public static final class Trained {
        private final Model<Label> model;
        private final List<String> featureNames;
        /** Features the model uses; the others were constant in training and carry no information. */
        private final List<String> used;
        private final int[] usedIndex;

        Trained(Model<Label> model, List<String> featureNames, List<String> used) {
            this.model = model;
            this.featureNames = List.copyOf(featureNames);
            this.used = List.copyOf(used);
            this.usedIndex = used.stream().mapToInt(this.featureNames::indexOf).toArray();
        }

        /** Features the model actually uses (constant training columns are dropped). */
        public List<String> usedFeatures() {
            return used;
        }

        public List<String> featureNames() {
            return featureNames;
        }

        /** Probability of death for one feature vector in {@link #featureNames()} order. */
        public double predict(double[] values) {
            if (values.length != featureNames.size()) {
                throw new IllegalArgumentException("expected " + featureNames.size() + " features, got "
                        + values.length);
            }
            double[] x = new double[usedIndex.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = values[usedIndex[i]];
            }
            Prediction<Label> p = model.predict(new ArrayExample<>(LABELS.getUnknownOutput(),
                    used.toArray(String[]::new), x));
            Label died = p.getOutputScores().get(DIED);
            return died == null ? 0.0 : died.getScore();
        }

        public double[] predict(TrainingData data) {
            double[] out = new double[data.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = predict(data.rows().get(i));
            }
            return out;
        }

        /** Tribuo's own provenance record of the model, as text. */
        public String tribuoProvenance() {
            return model.getProvenance().toString();
        }

        /** Java serialization of the Tribuo model, with the feature order first. */
        public byte[] serialize() {
            try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(String.join(",", featureNames));
                out.writeObject(String.join(",", used));
                out.writeObject(model);
                out.flush();
                return bytes.toByteArray();
            } catch (IOException e) {
                throw new IllegalStateException("cannot serialize model", e);
            }
        }
    }

    private static final LabelFactory LABELS = new LabelFactory();

    /** Only Tribuo, OLCUT, LibLinear and JDK types may be deserialized from a stored artifact. */
    private static final ObjectInputFilter FILTER = ObjectInputFilter.Config.createFilter(
            "org.tribuo.**;com.oracle.labs.mlrg.olcut.**;de.bwaldvogel.liblinear.**;java.**;[D;[I;[J;[F;[Z;[B;"
                    + "[Ljava.**;[Lorg.tribuo.**;[Lde.bwaldvogel.**;[Lcom.oracle.**;!*");

    private final Options options;
    private final long seed;

    public LogisticLearner(Options options, long seed) {
        this.options = options;
        this.seed = seed;
    }

    public Trained train(TrainingData data) {
        // Standardisation divides by the standard deviation: a constant column (e.g. a sector no hospital of the
        // cohort has) would turn into NaN and poison every weight, so it is left out and recorded as unused.
        List<String> used = new java.util.ArrayList<>();
        List<Integer> usedIndex = new java.util.ArrayList<>();
        for (int j = 0; j < data.featureNames().size(); j++) {
            double first = data.rows().get(0)[j];
            for (double[] row : data.rows()) {
                if (row[j] != first) {
                    used.add(data.featureNames().get(j));
                    usedIndex.add(j);
                    break;
                }
            }
        }
        if (used.isEmpty()) {
            throw new IllegalArgumentException("every feature is constant in the training data");
        }
        String[] names = used.toArray(String[]::new);
        List<org.tribuo.Example<Label>> examples = new java.util.ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            double[] row = data.rows().get(i);
            double[] x = new double[names.length];
            for (int k = 0; k < x.length; k++) {
                x[k] = row[usedIndex.get(k)];
            }
            examples.add(new ArrayExample<>(new Label(data.died()[i] ? DIED : SURVIVED), names, x));
        }
        var source = new ListDataSource<>(examples, LABELS, new SimpleDataSourceProvenance("covid-risk cohort",
                LABELS));
        MutableDataset<Label> dataset = new MutableDataset<>(source);
        var liblinear = new LibLinearClassificationTrainer(
                new LinearClassificationType(LinearClassificationType.LinearType.L2R_LR), options.cost(),
                options.maxIterations(), options.epsilon());
        liblinear.setInvocationCount(0);
        var trainer = new TransformTrainer<>(liblinear,
                new TransformationMap(List.of(new MeanStdDevTransformation())), true);
        trainer.setInvocationCount(0);
        // LibLinear's solver is deterministic for L2R_LR; the seed is recorded for the split.
        return new Trained(trainer.train(dataset), data.featureNames(), used);
    }

    public long seed() {
        return seed;
    }

    /** Loads an artifact written by {@link Trained#serialize()}. */
    @SuppressWarnings("unchecked")
    public static Trained deserialize(byte[] artifact) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(artifact))) {
            in.setObjectInputFilter(FILTER);
            String names = (String) in.readObject();
            String used = (String) in.readObject();
            Model<Label> model = (Model<Label>) in.readObject();
            return new Trained(model, List.of(names.split(",")), List.of(used.split(",")));
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            throw new IllegalStateException("stored model cannot be read: " + e.getMessage(), e);
        }
    }
}
