package org.covidrisk.feature.imputation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.covidrisk.feature.v1.FeatureSet;
import org.covidrisk.feature.v1.FeatureSpec;

/**
 * Maps feature vectors (one column per feature) to the imputation frame MICE works on and back. A continuous
 * feature is a continuous variable, a binary one a binary variable; the indicators of one group (sector, COVID-19
 * status, a state) are one categorical variable whose level is 1 + the index of the indicator that is set, 0 when
 * none is, so that MICE draws one category instead of independent, possibly contradictory, indicators. A group
 * with any NaN indicator is missing as a whole.
 */
public final class FeatureFrame {

    private final FeatureSet set;
    private final List<Column> columns = new ArrayList<>();
    /** Feature indices behind each frame column (one, or the group's indicators in order). */
    private final List<int[]> members = new ArrayList<>();

    public FeatureFrame(FeatureSet set) {
        this.set = set;
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        List<FeatureSpec> f = set.getFeaturesList();
        for (int i = 0; i < f.size(); i++) {
            FeatureSpec s = f.get(i);
            if (!s.getGroup().isEmpty()) {
                List<Integer> g = groups.get(s.getGroup());
                if (g == null) {
                    g = new ArrayList<>();
                    groups.put(s.getGroup(), g);
                    columns.add(new Column(s.getGroup(), ColumnKind.CATEGORICAL));
                    members.add(null); // filled below, once the group is complete
                }
                g.add(i);
                continue;
            }
            ColumnKind kind = switch (s.getType()) {
                case "continuous" -> ColumnKind.CONTINUOUS;
                case "binary", "categorical-indicator" -> ColumnKind.BINARY;
                default -> throw new IllegalArgumentException("feature " + s.getName() + " has unknown type "
                        + s.getType());
            };
            columns.add(new Column(s.getName(), kind));
            members.add(new int[]{i});
        }
        for (int c = 0; c < columns.size(); c++) {
            if (members.get(c) == null) {
                members.set(c, groups.get(columns.get(c).name()).stream().mapToInt(Integer::intValue).toArray());
            }
        }
    }

    public FeatureSet featureSet() {
        return set;
    }

    public List<Column> columns() {
        return columns;
    }

    /** Feature vector to frame row. */
    public double[] toFrame(double[] features) {
        if (features.length != set.getFeaturesCount()) {
            throw new IllegalArgumentException("has " + features.length + " values, expected "
                    + set.getFeaturesCount());
        }
        double[] out = new double[columns.size()];
        for (int c = 0; c < out.length; c++) {
            int[] m = members.get(c);
            if (columns.get(c).kind() != ColumnKind.CATEGORICAL) {
                out[c] = features[m[0]];
                continue;
            }
            double level = 0;
            for (int j = 0; j < m.length; j++) {
                double v = features[m[j]];
                if (Double.isNaN(v)) {
                    level = Double.NaN;
                    break;
                }
                if (v == 1 && level == 0) {
                    level = j + 1;
                }
            }
            out[c] = level;
        }
        return out;
    }

    /** Frame row to feature vector. */
    public double[] toFeatures(double[] frame) {
        double[] out = new double[set.getFeaturesCount()];
        for (int c = 0; c < frame.length; c++) {
            int[] m = members.get(c);
            if (columns.get(c).kind() != ColumnKind.CATEGORICAL) {
                out[m[0]] = frame[c];
                continue;
            }
            for (int j = 0; j < m.length; j++) {
                out[m[j]] = Double.isNaN(frame[c]) ? Double.NaN : frame[c] == j + 1 ? 1 : 0;
            }
        }
        return out;
    }

    /** Names of the features behind frame column c. */
    public List<String> featureNames(int c) {
        List<String> names = new ArrayList<>();
        for (int i : members.get(c)) {
            names.add(set.getFeatures(i).getName());
        }
        return names;
    }
}
