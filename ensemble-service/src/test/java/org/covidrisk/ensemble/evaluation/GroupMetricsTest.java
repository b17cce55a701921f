package org.covidrisk.ensemble.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class GroupMetricsTest {

    @Test
    void eachGroupGetsItsOwnMetricsAndMortality() {
        // the reference set split into three hospitals: rows 0-19, 20-39 and 40-59
        String[] groups = new String[60];
        for (int i = 0; i < 60; i++) {
            groups[i] = "MX-0" + (3 - i / 20) + "-04";
        }
        List<GroupMetrics> byGroup = Evaluation.byGroup(ReferenceData.P, ReferenceData.DIED, groups);
        assertEquals(List.of("MX-01-04", "MX-02-04", "MX-03-04"), byGroup.stream().map(GroupMetrics::group).toList());
        for (int g = 0; g < 3; g++) {
            int from = 40 - 20 * g;
            double[] p = Arrays.copyOfRange(ReferenceData.P, from, from + 20);
            boolean[] died = new boolean[20];
            long deaths = 0;
            for (int i = 0; i < 20; i++) {
                died[i] = ReferenceData.DIED[from + i];
                deaths += died[i] ? 1 : 0;
            }
            GroupMetrics m = byGroup.get(g);
            assertEquals(20, m.n());
            assertEquals(deaths, m.deaths());
            assertEquals(deaths / 20.0, m.mortalityRate(), 1e-12);
            assertEquals(m.mortalityRate(), m.metrics().get("prevalence"), 1e-12);
            assertEquals(BinaryMetrics.auroc(p, died), m.metrics().get("auroc"), 1e-12);
            assertEquals(BinaryMetrics.of(p, died).get("macro_f1"), m.metrics().get("macro_f1"), 1e-12);
        }
        // rows 40-59 hold 7 deaths of 20, rows 0-19 hold 10
        assertEquals(0.35, byGroup.get(0).mortalityRate(), 1e-12);
        assertEquals(0.5, byGroup.get(2).mortalityRate(), 1e-12);
        long n = byGroup.stream().mapToLong(GroupMetrics::n).sum();
        assertEquals(60, n);
    }

    @Test
    void aGroupWithOneClassIsListedWithNanAuroc() {
        List<GroupMetrics> byGroup = GroupMetrics.byGroup(new double[]{0.1, 0.3, 0.8, 0.2, 0.6},
                new boolean[]{false, false, true, false, true}, new String[]{"B", "B", "A", "A", "A"});
        GroupMetrics b = byGroup.get(1);
        assertEquals("B", b.group());
        assertEquals(0.0, b.mortalityRate());
        assertTrue(Double.isNaN(b.metrics().get("auroc")));
        assertEquals(1.0, b.metrics().get("accuracy"));
        GroupMetrics a = byGroup.get(0);
        assertEquals(2.0 / 3, a.mortalityRate(), 1e-12);
        assertEquals(1.0, a.metrics().get("auroc"), 1e-12);
    }

    @Test
    void everyRowNeedsAGroup() {
        assertThrows(IllegalArgumentException.class,
                () -> GroupMetrics.byGroup(new double[]{0.1}, new boolean[]{true}, new String[]{null}));
        assertThrows(IllegalArgumentException.class,
                () -> GroupMetrics.byGroup(new double[]{0.1}, new boolean[]{true}, new String[0]));
    }
}
