package org.covidrisk.ensemble.learn;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The training population of a model with population meta-features: base feature vectors, outcomes and ages,
 * stored with the model (a compact binary form: version, rows, columns, then float values, outcome and age per row).
 */
public record PopulationSnapshot(List<double[]> rows, boolean[] died, double[] age) {

    private static final int FORMAT = 1;

    public byte[] toBytes() {
        return Artifacts.write(out -> {
            int dim = rows.isEmpty() ? 0 : rows.get(0).length;
            out.writeInt(FORMAT);
            out.writeInt(rows.size());
            out.writeInt(dim);
            for (int i = 0; i < rows.size(); i++) {
                for (double v : rows.get(i)) {
                    out.writeFloat((float) v);
                }
                out.writeBoolean(died[i]);
                out.writeFloat((float) age[i]);
            }
        });
    }

    public static PopulationSnapshot fromBytes(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int format = in.readInt();
            if (format != FORMAT) {
                throw new IllegalStateException("unknown population format " + format);
            }
            int n = in.readInt();
            int dim = in.readInt();
            List<double[]> rows = new ArrayList<>(n);
            boolean[] died = new boolean[n];
            double[] age = new double[n];
            for (int i = 0; i < n; i++) {
                double[] r = new double[dim];
                for (int d = 0; d < dim; d++) {
                    r[d] = in.readFloat();
                }
                rows.add(r);
                died[i] = in.readBoolean();
                age[i] = in.readFloat();
            }
            return new PopulationSnapshot(rows, died, age);
        } catch (IOException e) {
            throw new IllegalStateException("stored population cannot be read", e);
        }
    }
}
