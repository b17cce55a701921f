package org.covidrisk.ensemble.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class HoldoutPredictionsTest {

    @Test
    void roundTripsAndKeepsOnlyTheGivenHospitals() {
        HoldoutPredictions h = new HoldoutPredictions(new double[]{0.1, 0.9, 0.4, 0.7},
                new boolean[]{false, true, false, true}, new String[]{"A", "B", "A", "C"});
        HoldoutPredictions back = HoldoutPredictions.fromBytes(h.toBytes());
        assertArrayEquals(h.p(), back.p());
        assertArrayEquals(h.died(), back.died());
        assertArrayEquals(h.hospitals(), back.hospitals());

        HoldoutPredictions a = back.of(List.of("A", "Z"));
        assertArrayEquals(new double[]{0.1, 0.4}, a.p());
        assertArrayEquals(new boolean[]{false, false}, a.died());
        assertEquals(0, back.of(List.of()).size());
    }
}
