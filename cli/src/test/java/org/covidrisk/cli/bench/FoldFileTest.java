package org.covidrisk.cli.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class FoldFileTest {

    static final List<String> FILE = List.of(
            "# stacking.py tongji folds=2 StratifiedKFold(shuffle=True, random_state=7)",
            "row,key,died,fold", "0,17,1,1", "1,3,0,0", "2,250,0,1", "3,9,1,0");

    @Test
    void parsesRowsKeysOutcomesAndFolds() {
        FoldFile f = FoldFile.parse(FILE);
        assertEquals("stacking.py tongji folds=2 StratifiedKFold(shuffle=True, random_state=7)", f.description());
        assertEquals(List.of("17", "3", "250", "9"), f.keys());
        assertArrayEquals(new boolean[]{true, false, false, true}, f.died());
        assertArrayEquals(new int[]{1, 0, 1, 0}, f.fold());
        assertEquals(2, f.folds());
    }

    @Test
    void alignsOurRowsByKey() {
        FoldFile f = FoldFile.parse(FILE);
        // our cohort in another order (ids ascending): 3, 9, 17, 250
        int[] fold = f.alignTo(List.of("3", "9", "17", "250"), new boolean[]{false, true, true, false});
        assertArrayEquals(new int[]{0, 0, 1, 1}, fold);
    }

    @Test
    void refusesAnotherCohort() {
        FoldFile f = FoldFile.parse(FILE);
        var outcome = assertThrows(IllegalArgumentException.class,
                () -> f.alignTo(List.of("3", "9", "17", "250"), new boolean[]{false, true, false, false}));
        assertTrue(outcome.getMessage().contains("key 17"), outcome.getMessage());
        var unknown = assertThrows(IllegalArgumentException.class,
                () -> f.alignTo(List.of("3", "9", "18", "250"), new boolean[]{false, true, true, false}));
        assertTrue(unknown.getMessage().contains("key 18"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> f.alignTo(List.of("3", "9", "17"), new boolean[3]));
    }

    @Test
    void refusesMalformedLinesNamingThem() {
        var header = assertThrows(IllegalArgumentException.class, () -> FoldFile.parse(List.of("a,b", "0,1,1,0")));
        assertTrue(header.getMessage().startsWith("line 1:"), header.getMessage());
        var died = assertThrows(IllegalArgumentException.class,
                () -> FoldFile.parse(List.of("row,key,died,fold", "0,5,2,0")));
        assertTrue(died.getMessage().startsWith("line 2: died"), died.getMessage());
        var order = assertThrows(IllegalArgumentException.class,
                () -> FoldFile.parse(List.of("row,key,died,fold", "0,5,1,0", "2,6,0,1")));
        assertTrue(order.getMessage().startsWith("line 3: row 2"), order.getMessage());
        var gap = assertThrows(IllegalArgumentException.class,
                () -> FoldFile.parse(List.of("row,key,died,fold", "0,5,1,0", "1,6,0,2")));
        assertEquals("fold 1 of 3 has no rows", gap.getMessage());
    }
}
