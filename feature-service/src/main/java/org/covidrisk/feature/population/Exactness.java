package org.covidrisk.feature.population;

import java.util.HashSet;
import java.util.Set;

/** How much of the true top-K an approximate search found. */
public final class Exactness {

    private Exactness() {
    }

    /** Mean over queries of |approx ∩ exact| / |exact|. */
    public static double recall(int[][] exact, int[][] approx) {
        double total = 0;
        for (int i = 0; i < exact.length; i++) {
            Set<Integer> truth = new HashSet<>();
            for (int j : exact[i]) {
                truth.add(j);
            }
            int hit = 0;
            for (int j : approx[i]) {
                hit += truth.contains(j) ? 1 : 0;
            }
            total += exact[i].length == 0 ? 1 : hit / (double) exact[i].length;
        }
        return exact.length == 0 ? 1 : total / exact.length;
    }
}
