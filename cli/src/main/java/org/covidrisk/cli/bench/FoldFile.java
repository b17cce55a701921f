package org.covidrisk.cli.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A fold assignment written by {@code bench/stacking_folds.py} from the stacking peer's own loader and
 * {@code StratifiedKFold}: one line per row of the peer's matrix with the row's key, outcome and fold. Lines
 * starting with {@code #} are comments (the first describes the split).
 *
 * @param description the first comment line (peer, folds, seed), without the {@code #}
 * @param keys row key per peer row (Tongji: the patient id; Mexico: the row index)
 * @param died outcome per peer row
 * @param fold fold (0..folds-1) per peer row
 * @param folds number of folds
 */
public record FoldFile(String description, List<String> keys, boolean[] died, int[] fold, int folds) {

    static final String HEADER = "row,key,died,fold";

    /** Reads a fold file. */
    public static FoldFile read(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /** Parses the lines of a fold file; a malformed line is refused with its line number. */
    public static FoldFile parse(List<String> lines) {
        String description = "";
        boolean header = false;
        List<String> keys = new ArrayList<>();
        List<Boolean> died = new ArrayList<>();
        List<Integer> fold = new ArrayList<>();
        for (int ln = 1; ln <= lines.size(); ln++) {
            String line = lines.get(ln - 1).strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                if (description.isEmpty()) {
                    description = line.substring(1).strip();
                }
                continue;
            }
            if (!header) {
                if (!line.equals(HEADER)) {
                    throw new IllegalArgumentException("line " + ln + ": expected the header " + HEADER);
                }
                header = true;
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length != 4) {
                throw new IllegalArgumentException("line " + ln + ": expected 4 fields, got " + f.length);
            }
            int row = integer(f[0], "row", ln);
            if (row != keys.size()) {
                throw new IllegalArgumentException("line " + ln + ": row " + row + " out of order, expected "
                        + keys.size());
            }
            if (f[1].isEmpty()) {
                throw new IllegalArgumentException("line " + ln + ": empty key");
            }
            int d = integer(f[2], "died", ln);
            if (d != 0 && d != 1) {
                throw new IllegalArgumentException("line " + ln + ": died must be 0 or 1, was " + f[2]);
            }
            int k = integer(f[3], "fold", ln);
            if (k < 0) {
                throw new IllegalArgumentException("line " + ln + ": negative fold " + k);
            }
            keys.add(f[1]);
            died.add(d == 1);
            fold.add(k);
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no rows in the fold file");
        }
        int folds = fold.stream().mapToInt(Integer::intValue).max().orElseThrow() + 1;
        boolean[] seen = new boolean[folds];
        fold.forEach(k -> seen[k] = true);
        for (int k = 0; k < folds; k++) {
            if (!seen[k]) {
                throw new IllegalArgumentException("fold " + k + " of " + folds + " has no rows");
            }
        }
        boolean[] y = new boolean[died.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = died.get(i);
        }
        return new FoldFile(description, List.copyOf(keys), y, fold.stream().mapToInt(Integer::intValue).toArray(),
                folds);
    }

    private static int integer(String s, String field, int ln) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("line " + ln + ": " + field + " is not an integer: " + s);
        }
    }

    /**
     * The fold of each of our rows, matched to the peer's rows by key; every key must be in the file once, with
     * the same outcome, and the file must have no rows we lack (same cohort on both sides).
     */
    public int[] alignTo(List<String> ourKeys, boolean[] ourDied) {
        if (ourKeys.size() != keys.size()) {
            throw new IllegalArgumentException("we have " + ourKeys.size() + " rows, the peer's folds "
                    + keys.size());
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            if (index.put(keys.get(i), i) != null) {
                throw new IllegalArgumentException("key " + keys.get(i) + " twice in the fold file");
            }
        }
        int[] out = new int[ourKeys.size()];
        for (int i = 0; i < out.length; i++) {
            Integer j = index.get(ourKeys.get(i));
            if (j == null) {
                throw new IllegalArgumentException("our row " + i + " (key " + ourKeys.get(i)
                        + ") is not in the fold file");
            }
            if (died[j] != ourDied[i]) {
                throw new IllegalArgumentException("our row " + i + " (key " + ourKeys.get(i)
                        + ") has a different outcome from the peer's row " + j);
            }
            out[i] = fold[j];
        }
        return out;
    }
}
