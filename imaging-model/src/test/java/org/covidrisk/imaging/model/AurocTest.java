package org.covidrisk.imaging.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AurocTest {

    @Test
    void countsPairsAndHalfTies() {
        // positives 0.9, 0.4; negatives 0.4, 0.1, 0.3: pairs won 3 + (1 tie = 0.5) + 2 = 5.5 of 6
        double a = Auroc.of(new double[]{0.9, 0.4, 0.4, 0.1, 0.3}, new boolean[]{true, true, false, false, false});
        assertEquals(5.5 / 6, a, 1e-12);
        assertEquals(0.0, Auroc.of(new double[]{0.1, 0.9}, new boolean[]{true, false}), 1e-12);
        assertTrue(Double.isNaN(Auroc.of(new double[]{0.1, 0.9}, new boolean[]{true, true})));
    }
}
