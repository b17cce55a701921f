package org.covidrisk.gateway.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.covidrisk.ensemble.v1.ScoreResponse;
import org.junit.jupiter.api.Test;

class ScoreViewTest {

    @Test
    void theClinicalProbabilityOfAnXrayScoreIsShownAndOmittedWhenNaNOrAbsent() {
        Views.ScoreView combined = Views.ScoreView.of(ScoreResponse.newBuilder().setProbability(0.62)
                .setImageUsed(true).setClinicalProbability(0.41).setConfidenceBinHitRate(Double.NaN).build());
        assertEquals(0.41, combined.clinicalProbability());
        assertEquals(0.62, combined.probability());
        assertNull(Views.ScoreView.of(ScoreResponse.newBuilder().setProbability(0.3)
                .setClinicalProbability(Double.NaN).build()).clinicalProbability());
        assertNull(Views.ScoreView.of(ScoreResponse.newBuilder().setProbability(0.3).build()).clinicalProbability(),
                "a response from a version without the field");
    }
}
