package org.covidrisk.ensemble.evaluation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scalar metrics of one group of patients (a hospital), next to the group's observed mortality, as the
 * stacking paper's per-hospital analysis reports them. A group with one outcome class only is still listed; the
 * metrics that need both classes (AUROC, calibration, sensitivity or specificity) are NaN there.
 *
 * @param group the group key
 * @param n patients in the group
 * @param deaths deaths in the group
 * @param mortalityRate deaths / n
 * @param metrics {@link BinaryMetrics#of} over the group's patients
 */
public record GroupMetrics(String group, long n, long deaths, double mortalityRate, Map<String, Double> metrics) {

    public GroupMetrics {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /**
     * Metrics per group, in group key order.
     *
     * @param groups the group key of each row (not null)
     */
    public static List<GroupMetrics> byGroup(double[] p, boolean[] died, String[] groups) {
        BinaryMetrics.check(p, died);
        if (groups.length != p.length) {
            throw new IllegalArgumentException("need one group key per row");
        }
        Map<String, List<Integer>> rows = new TreeMap<>();
        for (int i = 0; i < groups.length; i++) {
            if (groups[i] == null) {
                throw new IllegalArgumentException("row " + i + " has no group key");
            }
            rows.computeIfAbsent(groups[i], g -> new ArrayList<>()).add(i);
        }
        List<GroupMetrics> out = new ArrayList<>(rows.size());
        for (Map.Entry<String, List<Integer>> e : rows.entrySet()) {
            List<Integer> idx = e.getValue();
            double[] gp = new double[idx.size()];
            boolean[] gd = new boolean[idx.size()];
            long deaths = 0;
            for (int k = 0; k < idx.size(); k++) {
                gp[k] = p[idx.get(k)];
                gd[k] = died[idx.get(k)];
                deaths += gd[k] ? 1 : 0;
            }
            out.add(new GroupMetrics(e.getKey(), idx.size(), deaths, (double) deaths / idx.size(),
                    BinaryMetrics.of(gp, gd)));
        }
        return List.copyOf(out);
    }
}
