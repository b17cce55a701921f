package org.covidrisk.feature.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The reduced vector's drops measured on the shared 2022 DGE fixture (skipped when the data are absent). */
class ReducedVectorAnalysisTest {

    @Test
    void rareDroppedCharacteristicsCarryAlmostNoInformationOnThe2022Fixture() throws Exception {
        Path data = DgeRecords.dataDir();
        Path file = data == null ? null : data.resolve("mexico-dge-2022-fixture/COVID19MEXICO-2022-fixture.csv");
        Assumptions.assumeTrue(file != null && Files.exists(file), "../shared/data/mexico-dge-2022-fixture absent");
        List<ReducedVectorAnalysis.Row> rows = ReducedVectorAnalysis.analyse(DgeRecords.read(file));
        assertEquals(27, rows.size(), "27 characteristics of the full vector");
        // the strongest characteristics are all kept
        assertEquals(List.of("hospitalised", "pneumonia", "age"), rows.subList(0, 3).stream()
                .map(ReducedVectorAnalysis.Row::characteristic).toList());
        for (ReducedVectorAnalysis.Row r : rows) {
            if (List.of("pregnant", "indigenous_language", "mexican_national").contains(r.characteristic())) {
                assertTrue(!r.kept() && r.mi() < 0.001 && r.auroc() < 0.53, r.toString());
            }
        }
    }
}
