package org.covidrisk.ensemble.learn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Stratified fold assignment: each class is shuffled with the seed and dealt round-robin into the folds, so
 * every fold has the cohort's death rate (to within one patient).
 */
public final class Folds {

    private Folds() {
    }

    /** Fold number (0..k-1) of each row. */
    public static int[] stratified(boolean[] died, int k, long seed) {
        if (k < 2) {
            throw new IllegalArgumentException("need at least 2 folds");
        }
        Random random = new Random(seed);
        int[] fold = new int[died.length];
        int next = 0;
        for (boolean cls : new boolean[]{true, false}) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < died.length; i++) {
                if (died[i] == cls) {
                    idx.add(i);
                }
            }
            Collections.shuffle(idx, random);
            for (int i : idx) {
                fold[i] = next;
                next = (next + 1) % k;
            }
        }
        return fold;
    }

    /** Indices of the rows outside ([0]) and inside ([1]) fold {@code k}. */
    public static int[][] split(int[] fold, int k) {
        int in = 0;
        for (int f : fold) {
            in += f == k ? 1 : 0;
        }
        int[] train = new int[fold.length - in];
        int[] test = new int[in];
        int a = 0;
        int b = 0;
        for (int i = 0; i < fold.length; i++) {
            if (fold[i] == k) {
                test[b++] = i;
            } else {
                train[a++] = i;
            }
        }
        return new int[][]{train, test};
    }
}
