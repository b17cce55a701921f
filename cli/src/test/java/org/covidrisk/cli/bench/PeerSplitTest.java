package org.covidrisk.cli.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerSplitTest {

    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        return Files.writeString(dir.resolve("split.csv"), text);
    }

    @Test
    void readsBothSetsSorted() throws IOException {
        PeerSplit s = PeerSplit.read(file("row,set\n7,train\n2,train\n5,test\n\n0,test\n"), 10);
        assertArrayEquals(new int[]{2, 7}, s.train());
        assertArrayEquals(new int[]{0, 5}, s.test());
    }

    @Test
    void refusesRowsOutsideTheFileNamingTheLine() throws IOException {
        Path f = file("row,set\n1,train\n10,test\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PeerSplit.read(f, 10));
        assertTrue(e.getMessage().contains("line 3: row 10 is outside"), e.getMessage());
    }

    @Test
    void refusesARowInBothSets() throws IOException {
        Path f = file("row,set\n1,train\n1,test\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PeerSplit.read(f, 10));
        assertTrue(e.getMessage().contains("line 3: row 1 listed twice"), e.getMessage());
    }

    @Test
    void refusesAWrongHeaderOrSet() throws IOException {
        Path bad = file("id,role\n1,train\n");
        assertThrows(IllegalArgumentException.class, () -> PeerSplit.read(bad, 10));
        Path unknown = file("row,set\n1,valid\n2,test\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PeerSplit.read(unknown,
                10));
        assertTrue(e.getMessage().contains("line 2: set must be train or test"), e.getMessage());
        Path onlyTrain = file("row,set\n1,train\n");
        assertThrows(IllegalArgumentException.class, () -> PeerSplit.read(onlyTrain, 10));
    }
}
