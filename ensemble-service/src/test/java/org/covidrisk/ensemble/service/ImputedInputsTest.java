package org.covidrisk.ensemble.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.covidrisk.feature.v1.ImputedMatrix;
import org.covidrisk.feature.v1.Vector;
import org.junit.jupiter.api.Test;

class ImputedInputsTest {

    static ImputedMatrix matrix(double[]... rows) {
        ImputedMatrix.Builder m = ImputedMatrix.newBuilder();
        for (double[] r : rows) {
            Vector.Builder v = Vector.newBuilder();
            for (double x : r) {
                v.addValues(x);
            }
            m.addRows(v);
        }
        return m.build();
    }

    @Test
    void observedCellsStayAndImputedOnesBecomeTheShareOfDraws() {
        // row 0 observed; row 1's binary input drawn yes, no, yes, yes; its age drawn 60, 70, 80, 70
        List<ImputedMatrix> m = List.of(matrix(new double[]{40, 1}, new double[]{60, 1}),
                matrix(new double[]{40, 1}, new double[]{70, 0}), matrix(new double[]{40, 1}, new double[]{80, 1}),
                matrix(new double[]{40, 1}, new double[]{70, 1}));
        List<double[]> mean = ImputedInputs.mean(m, 2);
        assertArrayEquals(new double[]{40, 1}, mean.get(0), 0);
        assertArrayEquals(new double[]{70, 0.75}, mean.get(1), 1e-12);
        assertThrows(IllegalStateException.class, () -> ImputedInputs.mean(m, 3));
        assertThrows(IllegalStateException.class, () -> ImputedInputs.mean(List.of(), 1));
    }
}
