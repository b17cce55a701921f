package org.covidrisk.cli.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.stream.IntStream;

/**
 * The train/test split a peer drew, as {@code bench/stages_peer.py} writes it: a header {@code row,set}, then one
 * line per row with its 0-based data-row position in the peer's CSV and {@code train} or {@code test}.
 *
 * @param train training row positions, ascending
 * @param test test row positions, ascending
 */
public record PeerSplit(int[] train, int[] test) {

    /**
     * Reads a split file and checks it against the file it indexes: every position below {@code rows}, no row in
     * both sets, both sets non-empty.
     *
     * @throws IllegalArgumentException naming the line of the first problem
     */
    public static PeerSplit read(Path file, int rows) throws IOException {
        IntStream.Builder train = IntStream.builder();
        IntStream.Builder test = IntStream.builder();
        BitSet seen = new BitSet(rows);
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (!"row,set".equals(header)) {
                throw new IllegalArgumentException(file + " line 1: expected the header row,set, found " + header);
            }
            int lineNo = 1;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                if (f.length != 2) {
                    throw new IllegalArgumentException(file + " line " + lineNo + ": expected row,set");
                }
                int row;
                try {
                    row = Integer.parseInt(f[0].trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(file + " line " + lineNo + ": row is not an integer");
                }
                if (row < 0 || row >= rows) {
                    throw new IllegalArgumentException(file + " line " + lineNo + ": row " + row
                            + " is outside the data file's " + rows + " rows");
                }
                if (seen.get(row)) {
                    throw new IllegalArgumentException(file + " line " + lineNo + ": row " + row + " listed twice");
                }
                seen.set(row);
                switch (f[1].trim()) {
                    case "train" -> train.add(row);
                    case "test" -> test.add(row);
                    default -> throw new IllegalArgumentException(file + " line " + lineNo
                            + ": set must be train or test");
                }
            }
        }
        PeerSplit s = new PeerSplit(train.build().sorted().toArray(), test.build().sorted().toArray());
        if (s.train().length == 0 || s.test().length == 0) {
            throw new IllegalArgumentException(file + ": the split needs train and test rows");
        }
        return s;
    }
}
