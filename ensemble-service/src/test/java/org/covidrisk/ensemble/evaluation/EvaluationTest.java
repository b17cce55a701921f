package org.covidrisk.ensemble.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class EvaluationTest {

    private final Evaluation eval = Evaluation.of(ReferenceData.P, ReferenceData.DIED);

    @Test
    void rocCurveMatchesScikitLearn() {
        // roc_curve(y, p, drop_intermediate=False) of sklearn 1.2.1: 45 points, first threshold max(p) + 1 = 1.98,
        // sum(fpr) = 13.333333333333332, sum(tpr) = 30.888888888888886, sum(thresholds) = 20.27
        List<RocCurve.Point> pts = eval.roc().points();
        assertEquals(45, pts.size());
        assertEquals(1.98, pts.get(0).threshold(), 1e-12);
        assertEquals(13.333333333333332, pts.stream().mapToDouble(RocCurve.Point::fpr).sum(), 1e-9);
        assertEquals(30.888888888888886, pts.stream().mapToDouble(RocCurve.Point::tpr).sum(), 1e-9);
        assertEquals(20.27, pts.stream().mapToDouble(RocCurve.Point::threshold).sum(), 1e-9);
        // the trapezoid area under the points is the AUROC (0.89337822671156 from roc_auc_score)
        double area = 0;
        for (int i = 1; i < pts.size(); i++) {
            area += (pts.get(i).fpr() - pts.get(i - 1).fpr()) * (pts.get(i).tpr() + pts.get(i - 1).tpr()) / 2;
        }
        assertEquals(0.89337822671156, area, 1e-12);
        assertEquals(new RocCurve.Point(1, 1, 0.01), pts.get(pts.size() - 1));
    }

    @Test
    void rocCurveIsEmptyWithOneClass() {
        assertEquals(List.of(), RocCurve.of(new double[]{0.2, 0.3}, new boolean[]{false, false}).points());
    }

    @Test
    void reliabilityDiagramMatchesCalibrationCurve() {
        // calibration_curve(y, p, n_bins=10) of sklearn 1.2.1 and the bin counts (np.bincount of its bin ids)
        long[] counts = {11, 8, 9, 6, 5, 6, 5, 3, 4, 3};
        double[] probPred = {0.04181818181818182, 0.15624999999999997, 0.24444444444444446, 0.34,
                0.45600000000000007, 0.5499999999999999, 0.656, 0.7533333333333333, 0.865, 0.9500000000000001};
        double[] probTrue = {0.0, 0.25, 0.3333333333333333, 0.16666666666666666, 0.4, 0.8333333333333334, 1.0,
                0.6666666666666666, 1.0, 1.0};
        List<ReliabilityDiagram.Bin> bins = eval.reliability().bins();
        assertEquals(10, bins.size());
        for (int b = 0; b < 10; b++) {
            assertEquals(counts[b], bins.get(b).count(), "count " + b);
            assertEquals(probPred[b], bins.get(b).meanPredicted(), 1e-12, "mean predicted " + b);
            assertEquals(probTrue[b], bins.get(b).observedRate(), 1e-12, "observed " + b);
            assertEquals(b / 10.0, bins.get(b).lower(), 1e-12);
        }
        assertEquals(0.12833333333333333, eval.reliability().ece(), 1e-12);
    }

    @Test
    void emptyReliabilityBinsAreLeftOutAndEdgesGoUp() {
        // 0.5 sits on an edge: it belongs to [0.5, 0.6), like p >= 0.5 being a death call; 1.0 to the last bin
        ReliabilityDiagram d = ReliabilityDiagram.of(new double[]{0.5, 1.0, 0.05}, new boolean[]{true, true, false},
                10);
        assertEquals(List.of(0.0, 0.5, 0.9), d.bins().stream().map(ReliabilityDiagram.Bin::lower).toList());
        assertEquals(List.of(1L, 1L, 1L), d.bins().stream().map(ReliabilityDiagram.Bin::count).toList());
        // |0.05 - 0| + |0.5 - 1| + |1 - 1|, each weighted 1/3
        assertEquals(0.55 / 3, d.ece(), 1e-12);
    }

    @Test
    void reliabilityProfileCountsHitsAndMisses() {
        // numpy in sklearn_reference.py: confidence max(p, 1-p) in 10 bins of width 0.05 over [0.5, 1]
        long[] counts = {7, 4, 3, 8, 6, 6, 6, 6, 5, 9};
        long[] hits = {4, 4, 2, 8, 3, 5, 4, 6, 5, 9};
        List<ReliabilityProfile.Bin> bins = eval.reliabilityProfile().bins();
        assertEquals(10, bins.size());
        long total = 0;
        for (int b = 0; b < 10; b++) {
            ReliabilityProfile.Bin bin = bins.get(b);
            assertEquals(counts[b], bin.count(), "count " + b);
            assertEquals(hits[b], bin.hits(), "hits " + b);
            assertEquals(counts[b] - hits[b], bin.misses());
            assertEquals((double) hits[b] / counts[b], bin.hitShare(), 1e-12);
            assertEquals(1.0, bin.hitShare() + bin.missShare(), 1e-12);
            assertEquals(0.5 + 0.05 * b, bin.lower(), 1e-12);
            total += bin.count();
        }
        assertEquals(ReferenceData.P.length, total);
        // hits over all bins are the correct calls: accuracy 0.8333 of 60
        assertEquals(50, bins.stream().mapToLong(ReliabilityProfile.Bin::hits).sum());
        // a prediction of 0.03 (confidence 0.97) is looked up in the last bin, 0.46 (0.54) in the first
        assertEquals(bins.get(9), eval.reliabilityProfile().binFor(0.03));
        assertEquals(bins.get(0), eval.reliabilityProfile().binFor(0.46));
        assertEquals(bins.get(9), eval.reliabilityProfile().binFor(1.0));
    }

    @Test
    void emptyProfileBinsAreKeptWithZeroShares() {
        ReliabilityProfile profile = ReliabilityProfile.of(new double[]{0.99}, new boolean[]{true}, 5);
        assertEquals(5, profile.bins().size());
        assertEquals(new ReliabilityProfile.Bin(0.5, 0.6, 0, 0, 0, 0, 0), profile.bins().get(0));
        assertEquals(1, profile.bins().get(4).hits());
    }

    @Test
    void confusionAndHypothesisTestAgreeWithTheMetrics() {
        assertEquals(new ConfusionMatrix(0.5, 19, 2, 31, 8), eval.confusion());
        // the hypothesis test at pα = 0.5 is the 0.5 threshold: Type-I = FP / survivors, Type-II = FN / deaths
        HypothesisTest.Point half = eval.hypothesisTest().curve().get(50);
        assertEquals(0.5, half.bound(), 1e-12);
        assertEquals(2.0 / 33, half.typeIError(), 1e-12);
        assertEquals(8.0 / 27, half.typeIIError(), 1e-12);
        assertEquals(eval.metrics().get("accuracy"), half.accuracy(), 1e-12);
        assertEquals(0.05, eval.hypothesisTest().targetAlpha());
        assertEquals(0.56, eval.hypothesisTest().criticalBound());
    }

    @Test
    void optionsChangeTheResolution() {
        Evaluation fine = Evaluation.of(ReferenceData.P, ReferenceData.DIED,
                Evaluation.Options.DEFAULTS.withCalibrationBins(5).withProfileBins(4).withHypothesisGridPoints(11)
                        .withHistogramBins(8).withTargetAlpha(0.1));
        assertEquals(5, fine.reliability().bins().size());
        assertEquals(4, fine.reliabilityProfile().bins().size());
        assertEquals(11, fine.hypothesisTest().curve().size());
        assertEquals(8, fine.hypothesisTest().histogram().size());
        assertEquals(0.47, fine.hypothesisTest().criticalBound());
        // the ece metric keeps its 10 bins whatever the diagram uses
        assertEquals(0.12833333333333333, fine.metrics().get("ece"), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Evaluation.Options.DEFAULTS.withTargetAlpha(1.5));
        assertThrows(IllegalArgumentException.class, () -> Evaluation.Options.DEFAULTS.withProfileBins(0));
    }

    @Test
    void isImmutable() {
        assertThrows(UnsupportedOperationException.class, () -> eval.metrics().put("auroc", 1.0));
        assertThrows(UnsupportedOperationException.class, () -> eval.roc().points().clear());
        assertThrows(UnsupportedOperationException.class, () -> eval.hypothesisTest().curve().clear());
    }

    @Test
    void serialisesToJsonWithSnakeCaseMetrics() throws Exception {
        JsonNode json = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(eval));
        assertEquals(List.of("metrics", "confusion", "roc", "reliability", "reliabilityProfile", "hypothesisTest"),
                iterable(json.fieldNames()));
        assertEquals(0.826388888888889, json.at("/metrics/macro_f1").asDouble(), 1e-12);
        assertEquals(19, json.at("/confusion/tp").asLong());
        assertEquals(45, json.at("/roc/points").size());
        assertEquals(1.98, json.at("/roc/points/0/threshold").asDouble(), 1e-12);
        assertEquals(0.56, json.at("/hypothesisTest/criticalBound").asDouble(), 1e-12);
        assertTrue(json.at("/reliabilityProfile/bins/9/hitShare").isNumber());
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
