package org.covidrisk.imaging.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

import org.junit.jupiter.api.Test;

class PlainLogisticTest {

    @Test
    void unpenalisedFitOnOneBinaryInputGivesTheGroupDeathRates() {
        List<double[]> rows = new ArrayList<>();
        boolean[] died = new boolean[40];
        for (int i = 0; i < 40; i++) {
            boolean male = i >= 20;
            rows.add(new double[]{male ? 1 : 0});
            died[i] = male ? i - 20 < 12 : i < 3;
        }
        ToDoubleFunction<double[]> m = new PlainLogistic(0).fit(List.of("male"), rows, died);
        assertEquals(0.15, m.applyAsDouble(new double[]{0}), 1e-9);
        assertEquals(0.60, m.applyAsDouble(new double[]{1}), 1e-9);
    }

    @Test
    void missingValuesTakeTheTrainingMedian() {
        List<double[]> rows = new ArrayList<>();
        boolean[] died = new boolean[30];
        for (int i = 0; i < 30; i++) {
            rows.add(new double[]{i % 7 == 0 ? Double.NaN : 40 + i, i % 2});
            died[i] = i % 3 == 0 || i > 24;
        }
        // known ages: 40 + i for the 25 i that are not multiples of 7; the 13th in order is 55
        ToDoubleFunction<double[]> m = new PlainLogistic(1).fit(List.of("age", "male"), rows, died);
        assertEquals(m.applyAsDouble(new double[]{55, 1}), m.applyAsDouble(new double[]{Double.NaN, 1}), 1e-15);
        assertTrue(m.applyAsDouble(new double[]{80, 0}) > m.applyAsDouble(new double[]{40, 0}), "age raises risk");
    }
}
