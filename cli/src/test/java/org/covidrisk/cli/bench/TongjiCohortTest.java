package org.covidrisk.cli.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class TongjiCohortTest {

    @Test
    void onePatientPerIdWithEachColumnsFirstValueInIdOrder() {
        List<String> lines = List.of(
                "PATIENT_ID,RE_DATE,age,gender,Admission time,Discharge time,outcome,hemoglobin,Urea",
                "12,43861.1,73,1,43860.9,43878.5,0,,",
                ",43861.2,73,1,43860.9,43878.5,0,136,",
                ",43862.0,73,1,43860.9,43878.5,0,120,5.5",
                "3,43870.0,50,2,43869.0,43875.0,1,,",
                ",43871.0,50,2,43869.0,43875.0,1,,9.1");
        TongjiCohort c = TongjiCohort.parse(lines);
        assertEquals(List.of("3", "12"), c.keys());
        assertEquals(List.of("age", "gender", "hemoglobin", "Urea"), c.data().featureNames());
        assertArrayEquals(new boolean[]{true, false}, c.data().died());
        double[] p3 = c.data().rows().get(0);
        assertEquals(50, p3[0]);
        assertEquals(2, p3[1]);
        assertTrue(Double.isNaN(p3[2]), "never measured stays NaN");
        assertEquals(9.1, p3[3]);
        assertArrayEquals(new double[]{73, 1, 136, 5.5}, c.data().rows().get(1));
    }
}
