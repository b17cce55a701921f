package org.covidrisk.ensemble.learn;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The pieces the learners' own binary artifacts share: a list of strings, written as a count and then each. */
final class Artifacts {

    private Artifacts() {
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
