package org.covidrisk.ensemble.evaluation;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A model's predictions on its hold-out patients, with each patient's outcome and hospital: enough to compute any
 * report over any subset of hospitals. Holds no patient identifier.
 *
 * @param p predicted probability of death per row
 * @param died outcome per row
 * @param hospitals hospital key per row
 */
public record HoldoutPredictions(double[] p, boolean[] died, String[] hospitals) {

    private static final int FORMAT = 1;

    public HoldoutPredictions {
        if (p.length != died.length || p.length != hospitals.length) {
            throw new IllegalArgumentException("need one probability, outcome and hospital per row");
        }
    }

    public int size() {
        return p.length;
    }

    /** The rows of the given hospitals, in their original order. */
    public HoldoutPredictions of(Collection<String> visible) {
        Set<String> keep = Set.copyOf(visible);
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < hospitals.length; i++) {
            if (keep.contains(hospitals[i])) {
                idx.add(i);
            }
        }
        double[] sp = new double[idx.size()];
        boolean[] sd = new boolean[idx.size()];
        String[] sh = new String[idx.size()];
        for (int k = 0; k < sp.length; k++) {
            sp[k] = p[idx.get(k)];
            sd[k] = died[idx.get(k)];
            sh[k] = hospitals[idx.get(k)];
        }
        return new HoldoutPredictions(sp, sd, sh);
    }

    /** Compact gzip'd binary form: a hospital dictionary, then (hospital index, probability, outcome) per row. */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(bytes))) {
            Map<String, Integer> dictionary = new LinkedHashMap<>();
            for (String h : hospitals) {
                dictionary.putIfAbsent(h, dictionary.size());
            }
            out.writeInt(FORMAT);
            out.writeInt(dictionary.size());
            for (String h : dictionary.keySet()) {
                out.writeUTF(h);
            }
            out.writeInt(p.length);
            for (int i = 0; i < p.length; i++) {
                out.writeInt(dictionary.get(hospitals[i]));
                out.writeDouble(p[i]);
                out.writeBoolean(died[i]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Reads {@link #toBytes()}. */
    public static HoldoutPredictions fromBytes(byte[] data) {
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(new ByteArrayInputStream(data)))) {
            int format = in.readInt();
            if (format != FORMAT) {
                throw new IllegalArgumentException("unknown hold-out format " + format);
            }
            String[] dictionary = new String[in.readInt()];
            for (int i = 0; i < dictionary.length; i++) {
                dictionary[i] = in.readUTF();
            }
            int n = in.readInt();
            double[] p = new double[n];
            boolean[] died = new boolean[n];
            String[] hospitals = new String[n];
            for (int i = 0; i < n; i++) {
                hospitals[i] = dictionary[in.readInt()];
                p[i] = in.readDouble();
                died[i] = in.readBoolean();
            }
            return new HoldoutPredictions(p, died, hospitals);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
