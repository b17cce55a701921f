package org.covidrisk.ensemble.learn;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The pieces the learners' own binary artifacts share: the in-memory data stream around their fields, the format
 * tag they open with, and a list of strings (a count, then each).
 */
final class Artifacts {

    /** Writes an artifact's fields. */
    interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private Artifacts() {
    }

    /** The bytes {@code body} writes; in memory, so an I/O error would be a bug. */
    static byte[] write(Body body) {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(bytes)) {
            body.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a model artifact", e);
        }
    }

    /** Reads the format tag an artifact opens with; another one is refused, naming both. */
    static void expectFormat(DataInputStream in, String format, String what) throws IOException {
        String found = in.readUTF();
        if (!format.equals(found)) {
            throw new IOException(what + " of format " + found + ", expected " + format);
        }
    }

    static void writeStrings(DataOutputStream out, List<String> s) throws IOException {
        out.writeInt(s.size());
        for (String v : s) {
            out.writeUTF(v);
        }
    }

    static List<String> readStrings(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<String> s = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            s.add(in.readUTF());
        }
        return s;
    }
}
