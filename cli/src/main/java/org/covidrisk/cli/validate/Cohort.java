package org.covidrisk.cli.validate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.covidrisk.ensemble.learn.TrainingData;
import org.covidrisk.feature.Featurizer;
import org.covidrisk.feature.v1.FeatureRow;
import org.covidrisk.feature.v1.FeatureSpec;
import org.covidrisk.ingest.Patient;
import org.covidrisk.ingest.dge.DgeCsvReader;
import org.covidrisk.ingest.dge.DgeFileException;
import org.covidrisk.ingest.mapping.PatientMapper;
import org.covidrisk.ingest.v1.CovidStatus;
import org.covidrisk.ingest.v1.PatientRecord;
import org.covidrisk.ingest.v1.PatientType;

/**
 * A DGE file read and featurised exactly as the services do (ingest's reader and mapper, feature-service's
 * featuriser), in one process: the rows, outcomes, hospitals and ages of the chosen cohort at one stage.
 *
 * @param data feature matrix with outcomes
 * @param hospitals hospital key per row
 * @param ages age per row (for the population meta-features)
 * @param rowsInFile data rows in the file before the cohort filter
 */
public record Cohort(TrainingData data, List<String> hospitals, double[] ages, long rowsInFile) {

    /** Reads a file; keeps hospitalised, confirmed patients unless {@code allPatients}. */
    public static Cohort read(Path file, int stage, boolean allPatients) throws DgeFileException {
        List<Patient> patients = new ArrayList<>();
        List<org.covidrisk.ingest.dge.RowViolation> problems = new ArrayList<>();
        DgeCsvReader.Summary summary = new DgeCsvReader(Long.MAX_VALUE).read(file, "validate",
                new DgeCsvReader.RowHandler<RuntimeException>() {
                    @Override
                    public boolean row(long line, Patient patient) {
                        patients.add(patient);
                        return true;
                    }

                    @Override
                    public boolean invalid(long line, List<org.covidrisk.ingest.dge.RowViolation> found) {
                        problems.addAll(found);
                        return problems.size() < 20;
                    }
                });
        if (!problems.isEmpty()) {
            // the same rule as an all-or-nothing upload: a file with invalid rows is refused, naming them
            throw new DgeFileException(problems);
        }
        Featurizer featurizer = new Featurizer(stage, false);
        List<String> names = featurizer.featureSet().getFeaturesList().stream().map(FeatureSpec::getName).toList();
        List<double[]> rows = new ArrayList<>();
        List<Boolean> died = new ArrayList<>();
        List<String> hospitals = new ArrayList<>();
        List<Double> ages = new ArrayList<>();
        for (Patient p : patients) {
            PatientRecord r = PatientMapper.toRecord(p);
            if (!allPatients && (r.getPatientType() != PatientType.PATIENT_TYPE_HOSPITALISED
                    || r.getCovidStatus() != CovidStatus.COVID_STATUS_CONFIRMED)) {
                continue;
            }
            FeatureRow f = featurizer.featurize(r);
            double[] x = new double[f.getValuesCount()];
            for (int i = 0; i < x.length; i++) {
                x[i] = f.getValues(i);
            }
            rows.add(x);
            died.add(r.getDied());
            hospitals.add(r.getHospital());
            ages.add(r.hasAge() ? r.getAge() : Double.NaN);
        }
        boolean[] y = new boolean[died.size()];
        double[] age = new double[ages.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = died.get(i);
            age[i] = ages.get(i);
        }
        return new Cohort(new TrainingData(names, rows, y), List.copyOf(hospitals), age, summary.rowsRead());
    }
}
