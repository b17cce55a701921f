package org.covidrisk.imaging.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shared COVID chest X-ray set ({@code ../shared/data/chestxray}); skipped with a message when absent. */
class SharedXraysTest {

    static XraySet data;

    @BeforeAll
    static void load() throws Exception {
        Path dir = Path.of(System.getProperty("covid.shared.data", "../../shared/data"), "chestxray");
        Assumptions.assumeTrue(Files.isRegularFile(dir.resolve("metadata.csv")),
                "skipped: " + dir + " is absent (shared chest X-rays not on this machine)");
        data = XraySet.load(dir, 32);
    }

    @Test
    void readsEveryImageAndTheSurvivalLabelsByPatient() {
        assertEquals(566, data.images().size());
        Map<String, Boolean> labelled = data.labelledPatients();
        assertEquals(76, labelled.size());
        assertEquals(15, labelled.values().stream().filter(d -> d).count());
        long covid = data.images().stream().filter(i -> i.finding() == XraySet.Finding.COVID_19).count();
        assertEquals(393, covid, "COVID-19 and COVID-19, ARDS");
        assertEquals(17, data.images().stream().filter(i -> i.finding() == XraySet.Finding.NO_FINDING).count());
        assertEquals(76, data.images().stream().filter(i -> i.finding() == null).count(), "finding todo");
    }

    @Test
    void foldsNeverSplitAPatient() {
        Map<String, Integer> f = ImagingValidation.folds(data.labelledPatients(), 5, 42);
        assertEquals(76, f.size());
        for (int k = 0; k < 5; k++) {
            final int fold = k;
            long deaths = f.entrySet().stream().filter(e -> e.getValue() == fold)
                    .filter(e -> data.labelledPatients().get(e.getKey())).count();
            assertTrue(deaths == 3, "15 deaths spread 3 per fold, fold " + k + " has " + deaths);
        }
    }
}
