package org.covidrisk.feature.analysis;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.covidrisk.feature.Featurizer;
import org.covidrisk.feature.StageFeatureSets;
import org.covidrisk.feature.v1.FeatureRow;
import org.covidrisk.feature.v1.FeatureSet;
import org.covidrisk.feature.v1.FeatureSpec;
import org.covidrisk.feature.v1.FeatureVariant;
import org.covidrisk.feature.v1.MissingValues;
import org.covidrisk.ingest.v1.PatientRecord;
import org.covidrisk.platform.analysis.FeatureAnalysis;

/**
 * Predictive power of each characteristic of the full stage-4 vector for death: mutual information (bits) and
 * single-characteristic AUROC (direction-free: max(AUROC, 1 - AUROC); a state or the sector is scored by its
 * in-sample death rate, which flatters it slightly), marking what the reduced vector keeps. Run:
 * {@code java ... ReducedVectorAnalysis FILE [FILE...]} (DGE CSV or zip); printed as a Markdown table.
 */
public final class ReducedVectorAnalysis {

    /** One characteristic's measured predictive power. */
    record Row(String characteristic, boolean kept, double mi, double auroc, double prevalence) {
    }

    public static void main(String[] args) throws Exception {
        for (String a : args) {
            List<PatientRecord> records = DgeRecords.read(Path.of(a));
            long deaths = records.stream().filter(PatientRecord::getDied).count();
            System.out.printf("%n%s: %d rows, %d deaths%n%n", Path.of(a).getFileName(), records.size(), deaths);
            System.out.println("| characteristic | reduced vector | MI (bits) | AUROC | share set / distinct |");
            System.out.println("| --- | --- | --- | --- | --- |");
            for (Row r : analyse(records)) {
                System.out.printf("| %s | %s | %.4f | %.3f | %s |%n", r.characteristic(), r.kept() ? "kept" : "dropped",
                        r.mi(), r.auroc(), r.prevalence() >= 1
                                ? String.format("%.0f", r.prevalence())
                                : String.format("%.3f", r.prevalence()));
            }
        }
    }

    static List<Row> analyse(List<PatientRecord> records) {
        FeatureSet full = StageFeatureSets.of(4, FeatureVariant.FEATURE_VARIANT_FULL);
        FeatureSet reduced = StageFeatureSets.of(4, FeatureVariant.FEATURE_VARIANT_REDUCED);
        List<String> keptNames = reduced.getFeaturesList().stream().map(FeatureSpec::getName).toList();
        Featurizer f = new Featurizer(4, FeatureVariant.FEATURE_VARIANT_FULL, false, MissingValues.MISSING_VALUES_FILL);
        int n = records.size();
        double[][] x = new double[n][];
        boolean[] died = new boolean[n];
        for (int i = 0; i < n; i++) {
            FeatureRow row = f.featurize(records.get(i));
            x[i] = row.getValuesList().stream().mapToDouble(Double::doubleValue).toArray();
            died[i] = records.get(i).getDied();
        }
        Map<String, List<Integer>> characteristics = new LinkedHashMap<>();
        for (int j = 0; j < full.getFeaturesCount(); j++) {
            FeatureSpec s = full.getFeatures(j);
            String key = s.getGroup().isEmpty() ? s.getName() : s.getGroup();
            characteristics.computeIfAbsent(key, k -> new ArrayList<>()).add(j);
        }
        List<Row> out = new ArrayList<>();
        for (var e : characteristics.entrySet()) {
            List<Integer> cols = e.getValue();
            boolean kept = keptNames.contains(full.getFeatures(cols.get(0)).getName());
            if (cols.size() == 1) {
                int j = cols.get(0);
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = x[i][j];
                }
                double auc = FeatureAnalysis.auroc(v, died);
                double share = full.getFeatures(j).getType().equals("continuous")
                        ? java.util.Arrays.stream(v)
                                .distinct().count()
                        : java.util.Arrays.stream(v).average().orElse(0);
                out.add(new Row(e.getKey(), kept, FeatureAnalysis.mutualInformation(v, died), Math.max(auc, 1 - auc),
                        share));
            } else {
                int[] cat = new int[n];
                for (int i = 0; i < n; i++) {
                    for (int t = 0; t < cols.size(); t++) {
                        if (x[i][cols.get(t)] == 1) {
                            cat[i] = t + 1;
                            break;
                        }
                    }
                }
                int k = cols.size() + 1;
                double[] deaths = new double[k];
                double[] count = new double[k];
                for (int i = 0; i < n; i++) {
                    count[cat[i]]++;
                    deaths[cat[i]] += died[i] ? 1 : 0;
                }
                double[] rate = new double[n];
                for (int i = 0; i < n; i++) {
                    rate[i] = deaths[cat[i]] / count[cat[i]];
                }
                long distinct = java.util.Arrays.stream(count).filter(c -> c > 0).count();
                out.add(new Row(e.getKey(), kept, FeatureAnalysis.mutualInformation(cat, died),
                        FeatureAnalysis.auroc(rate, died), distinct));
            }
        }
        out.sort(Comparator.comparingDouble(Row::mi).reversed());
        return out;
    }
}
