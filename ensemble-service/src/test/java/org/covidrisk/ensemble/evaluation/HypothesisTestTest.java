package org.covidrisk.ensemble.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class HypothesisTestTest {

    private static final HypothesisTest REF = HypothesisTest.of(ReferenceData.P, ReferenceData.DIED, 0.05, 101, 20);

    @Test
    void errorsAtFixedBoundsMatchNumpy() {
        // sklearn_reference.py: mean(p[y == 0] >= b) and mean(p[y == 1] < b)
        double[][] expected = {{0.3, 0.30303030303030304, 0.18518518518518517},
                {0.5, 0.06060606060606061, 0.2962962962962963}, {0.7, 0.030303030303030304, 0.6666666666666666}};
        for (double[] e : expected) {
            HypothesisTest.Point pt = REF.curve().get((int) Math.round(e[0] * 100));
            assertEquals(e[0], pt.bound(), 1e-12);
            assertEquals(e[1], pt.typeIError(), 1e-12, "type I at " + e[0]);
            assertEquals(e[2], pt.typeIIError(), 1e-12, "type II at " + e[0]);
        }
        assertEquals(33, REF.survivors());
        assertEquals(27, REF.deaths());
    }

    @Test
    void curvesAreMonotone() {
        List<HypothesisTest.Point> curve = REF.curve();
        assertEquals(101, curve.size());
        assertEquals(0.0, curve.get(0).bound());
        assertEquals(1.0, curve.get(100).bound());
        // at pα = 0 everybody is called a death, at pα = 1 (above every p here) nobody
        assertEquals(1.0, curve.get(0).typeIError());
        assertEquals(0.0, curve.get(0).typeIIError());
        assertEquals(0.0, curve.get(100).typeIError());
        assertEquals(1.0, curve.get(100).typeIIError());
        for (int i = 1; i < curve.size(); i++) {
            assertTrue(curve.get(i).bound() > curve.get(i - 1).bound());
            assertTrue(curve.get(i).typeIError() <= curve.get(i - 1).typeIError(), "type I rises at " + i);
            assertTrue(curve.get(i).typeIIError() >= curve.get(i - 1).typeIIError(), "type II falls at " + i);
        }
    }

    @Test
    void chosenBoundMeetsAlphaAndIsTheSmallest() {
        // sklearn_reference.py: smallest distinct p with mean(p[y == 0] >= p) <= alpha
        double[][] expected = {{0.05, 0.56, 0.030303030303030304, 0.37037037037037035},
                {0.1, 0.47, 0.09090909090909091, 0.25925925925925924},
                {0.25, 0.33, 0.24242424242424243, 0.18518518518518517}};
        double[] distinct = Arrays.stream(ReferenceData.P).distinct().sorted().toArray();
        for (double[] e : expected) {
            HypothesisTest t = HypothesisTest.of(ReferenceData.P, ReferenceData.DIED, e[0], 101, 20);
            assertEquals(e[1], t.criticalBound(), 1e-12);
            assertEquals(e[2], t.typeIError(), 1e-12);
            assertEquals(e[3], t.typeIIError(), 1e-12);
            assertTrue(t.typeIError() <= e[0]);
            // the next lower observed value breaks alpha
            int at = Arrays.binarySearch(distinct, t.criticalBound());
            double below = distinct[at - 1];
            double typeIBelow = Arrays.stream(indices()).filter(i -> !ReferenceData.DIED[i])
                    .filter(i -> ReferenceData.P[i] >= below).count() / 33.0;
            assertTrue(typeIBelow > e[0], "bound " + below + " would also do for alpha " + e[0]);
        }
        // alpha = 1 allows every bound: the smallest observed value
        assertEquals(0.01, HypothesisTest.of(ReferenceData.P, ReferenceData.DIED, 1, 101, 20).criticalBound());
    }

    @Test
    void tiedSurvivorsAtTheTopPushTheBoundAboveEverything() {
        // half the survivors share the highest value: no observed bound keeps Type-I at 5 %
        HypothesisTest t = HypothesisTest.of(new double[]{0.9, 0.9, 0.1, 0.2, 0.8},
                new boolean[]{false, false, false, false, true}, 0.05, 11, 5);
        assertTrue(t.criticalBound() > 0.9);
        assertEquals(0.0, t.typeIError());
        assertEquals(1.0, t.typeIIError());
    }

    @Test
    void histogramsAreNormalisedPerClass() {
        long survivors = REF.histogram().stream().mapToLong(HypothesisTest.HistogramBin::survivors).sum();
        long deaths = REF.histogram().stream().mapToLong(HypothesisTest.HistogramBin::deaths).sum();
        assertEquals(33, survivors);
        assertEquals(27, deaths);
        assertEquals(1.0, REF.histogram().stream().mapToDouble(HypothesisTest.HistogramBin::survivorShare).sum(),
                1e-12);
        assertEquals(1.0, REF.histogram().stream().mapToDouble(HypothesisTest.HistogramBin::deathShare).sum(),
                1e-12);
        assertEquals(20, REF.histogram().size());
        assertEquals(0.95, REF.histogram().get(19).lower(), 1e-12);
        // p = 0.96 and 0.98 are deaths
        assertEquals(2, REF.histogram().get(19).deaths());
    }

    @Test
    void anEstimatorOutsideZeroOneSpansItsOwnRange() {
        // a hidden neuron's pre-activation or a central moment is not a probability
        Random r = new Random(3);
        int n = 2000;
        double[] z = new double[n];
        boolean[] died = new boolean[n];
        for (int i = 0; i < n; i++) {
            died[i] = i % 3 == 0;
            z[i] = (died[i] ? 2 : -1) + r.nextGaussian();
        }
        HypothesisTest t = HypothesisTest.of(z, died, 0.05, 50, 30);
        double min = Arrays.stream(z).min().orElseThrow();
        double max = Arrays.stream(z).max().orElseThrow();
        assertEquals(min, t.curve().get(0).bound(), 1e-12);
        assertEquals(max, t.curve().get(49).bound(), 1e-12);
        assertEquals(min, t.histogram().get(0).lower(), 1e-12);
        // survivors ~ N(-1, 1): the 95 % quantile is -1 + 1.645
        assertEquals(0.645, t.criticalBound(), 0.15);
        assertTrue(t.typeIError() <= 0.05);
        // deaths ~ N(2, 1) fall below 0.645 with probability Φ(-1.355) ≈ 0.088
        assertEquals(0.088, t.typeIIError(), 0.03);
    }

    @Test
    void refusesBadInput() {
        assertThrows(IllegalArgumentException.class,
                () -> HypothesisTest.of(new double[]{Double.NaN}, new boolean[]{true}, 0.05, 11, 5));
        assertThrows(IllegalArgumentException.class,
                () -> HypothesisTest.of(new double[]{0.2}, new boolean[]{true}, 0.05, 1, 5));
        assertThrows(IllegalArgumentException.class,
                () -> HypothesisTest.of(new double[]{0.2}, new boolean[]{true}, -0.1, 11, 5));
    }

    private static int[] indices() {
        int[] idx = new int[ReferenceData.P.length];
        Arrays.setAll(idx, i -> i);
        return idx;
    }
}
