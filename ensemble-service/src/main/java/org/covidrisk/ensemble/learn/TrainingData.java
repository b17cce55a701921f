package org.covidrisk.ensemble.learn;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A feature matrix with outcomes, in the feature order of one feature set.
 *
 * @param featureNames column names
 * @param rows one value array per patient
 * @param died outcome per patient
 */
public record TrainingData(List<String> featureNames, List<double[]> rows, boolean[] died) {

    public int size() {
        return rows.size();
    }

    public long deaths() {
        long n = 0;
        for (boolean d : died) {
            n += d ? 1 : 0;
        }
        return n;
    }

    /** The rows at the given indices. */
    public TrainingData subset(int[] idx) {
        List<double[]> r = new java.util.ArrayList<>(idx.length);
        boolean[] y = new boolean[idx.length];
        for (int i = 0; i < idx.length; i++) {
            r.add(rows.get(idx[i]));
            y[i] = died[idx[i]];
        }
        return new TrainingData(featureNames, r, y);
    }

    /** The same rows with further columns appended (one value array per row, in row order). */
    public TrainingData withColumns(List<String> names, List<double[]> values) {
        if (values.size() != rows.size()) {
            throw new IllegalArgumentException(values.size() + " value rows for " + rows.size() + " rows");
        }
        List<String> allNames = new java.util.ArrayList<>(featureNames);
        allNames.addAll(names);
        List<double[]> r = new java.util.ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            double[] base = rows.get(i);
            double[] x = java.util.Arrays.copyOf(base, base.length + names.size());
            System.arraycopy(values.get(i), 0, x, base.length, names.size());
            r.add(x);
        }
        return new TrainingData(allNames, r, died);
    }

    /** The same rows restricted to the named columns, in that order. */
    public TrainingData select(List<String> columns) {
        if (columns.equals(featureNames)) {
            return this;
        }
        int[] idx = columns.stream().mapToInt(c -> {
            int i = featureNames.indexOf(c);
            if (i < 0) {
                throw new IllegalArgumentException("no column " + c);
            }
            return i;
        }).toArray();
        List<double[]> r = new java.util.ArrayList<>(rows.size());
        for (double[] row : rows) {
            double[] x = new double[idx.length];
            for (int j = 0; j < idx.length; j++) {
                x[j] = row[idx[j]];
            }
            r.add(x);
        }
        return new TrainingData(List.copyOf(columns), r, died);
    }

    /** SHA-256 over names, values and outcomes in order: the data fingerprint recorded in provenance. */
    public String sha256() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(String.join(",", featureNames).getBytes(StandardCharsets.UTF_8));
            ByteBuffer buf = ByteBuffer.allocate(8);
            for (int i = 0; i < rows.size(); i++) {
                for (double v : rows.get(i)) {
                    buf.clear();
                    buf.putDouble(v);
                    md.update(buf.array());
                }
                md.update((byte) (died[i] ? 1 : 0));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
