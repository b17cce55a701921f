package org.covidrisk.feature.analysis;

import java.nio.file.Path;
import java.util.List;

import org.covidrisk.feature.Featurizer;
import org.covidrisk.feature.imputation.FeatureFrame;
import org.covidrisk.feature.imputation.Mice;
import org.covidrisk.feature.imputation.MiceOptions;
import org.covidrisk.feature.imputation.MiceResult;
import org.covidrisk.feature.v1.FeatureVariant;
import org.covidrisk.feature.v1.MissingValues;
import org.covidrisk.ingest.v1.CovidStatus;
import org.covidrisk.ingest.v1.PatientRecord;
import org.covidrisk.ingest.v1.PatientType;

/**
 * Times MICE on the hospitalised confirmed positives of a DGE file at stage 4:
 * {@code MiceTiming FILE VARIANT M ITERATIONS}. Prints rows, missing cells per variable and the wall time; a
 * measurement for the README, not a test (no peer exists to compare with on the JVM side).
 */
public final class MiceTiming {

    public static void main(String[] args) throws Exception {
        List<PatientRecord> records = DgeRecords.read(Path.of(args[0])).stream()
                .filter(r -> r.getPatientType() == PatientType.PATIENT_TYPE_HOSPITALISED
                        && r.getCovidStatus() == CovidStatus.COVID_STATUS_CONFIRMED)
                .toList();
        FeatureVariant variant = FeatureVariant.valueOf("FEATURE_VARIANT_" + args[1]);
        Featurizer f = new Featurizer(4, variant, false, MissingValues.MISSING_VALUES_KEEP);
        FeatureFrame frame = new FeatureFrame(f.featureSet());
        double[][] rows = new double[records.size()][];
        double[] died = new double[records.size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = frame.toFrame(f.featurize(records.get(i)).getValuesList().stream()
                    .mapToDouble(Double::doubleValue).toArray());
            died[i] = records.get(i).getDied() ? 1 : 0;
        }
        StringBuilder missing = new StringBuilder();
        for (int k = 0; k < frame.columns().size(); k++) {
            final int col = k;
            long n = java.util.Arrays.stream(rows).filter(r -> Double.isNaN(r[col])).count();
            if (n > 0) {
                missing.append(frame.columns().get(k).name()).append('=').append(n).append(' ');
            }
        }
        System.out.printf("rows=%d variables=%d missing: %s%n", rows.length, frame.columns().size(), missing);
        int m = Integer.parseInt(args[2]);
        int it = Integer.parseInt(args[3]);
        long t0 = System.nanoTime();
        MiceResult res = Mice.fit(frame.columns(), rows, died, new MiceOptions(m, it, 42, 5, 2000, 5));
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("MICE m=%d iterations=%d seed=42: %.1f s (%d threads)%n", m, it, s,
                Runtime.getRuntime().availableProcessors());
        long t1 = System.nanoTime();
        res.imputer().impute(new double[][]{rows[0]}, 1);
        System.out.printf("impute one patient: %.1f ms%n", (System.nanoTime() - t1) / 1e6);
    }
}
