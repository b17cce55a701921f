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
        ReadRecords read = readRecords(file);
        List<PatientRecord> kept = read.records().stream()
                .filter(r -> allPatients || (r.getPatientType() == PatientType.PATIENT_TYPE_HOSPITALISED
                        && r.getCovidStatus() == CovidStatus.COVID_STATUS_CONFIRMED))
                .toList();
        return of(kept, new Featurizer(stage, false), read.rowsInFile());
    }

    /**
     * The records of a file as ingest maps them, in file order (record {@code i} is data row {@code i}, 0-based),
     * read with ingest's reader.
     *
     * @param records one record per data row
     * @param rowsInFile data rows read
     */
    public record ReadRecords(List<PatientRecord> records, long rowsInFile) {
    }

    /** Reads every row of a file; a file with invalid rows is refused, naming them (as an upload would be). */
    public static ReadRecords readRecords(Path file) throws DgeFileException {
        List<PatientRecord> records = new ArrayList<>();
        List<org.covidrisk.ingest.dge.RowViolation> problems = new ArrayList<>();
        DgeCsvReader.Summary summary = new DgeCsvReader(Long.MAX_VALUE).read(file, "validate",
                new DgeCsvReader.RowHandler<RuntimeException>() {
                    @Override
                    public boolean row(long line, Patient patient) {
                        records.add(PatientMapper.toRecord(patient));
                        return true;
                    }

                    @Override
                    public boolean invalid(long line, List<org.covidrisk.ingest.dge.RowViolation> found) {
                        problems.addAll(found);
                        return problems.size() < 20;
                    }
                });
        if (!problems.isEmpty()) {
            throw new DgeFileException(problems);
        }
        return new ReadRecords(records, summary.rowsRead());
    }

    /** Featurises records, in order, with a featuriser (its stage and variant). */
    public static Cohort of(List<PatientRecord> records, Featurizer featurizer, long rowsInFile) {
        List<String> names = featurizer.featureSet().getFeaturesList().stream().map(FeatureSpec::getName).toList();
        List<double[]> rows = new ArrayList<>(records.size());
        boolean[] y = new boolean[records.size()];
        double[] age = new double[records.size()];
        List<String> hospitals = new ArrayList<>(records.size());
        for (int i = 0; i < y.length; i++) {
            PatientRecord r = records.get(i);
            FeatureRow f = featurizer.featurize(r);
            double[] x = new double[f.getValuesCount()];
            for (int j = 0; j < x.length; j++) {
                x[j] = f.getValues(j);
            }
            rows.add(x);
            y[i] = r.getDied();
            hospitals.add(r.getHospital());
            age[i] = r.hasAge() ? r.getAge() : Double.NaN;
        }
        return new Cohort(new TrainingData(names, rows, y), List.copyOf(hospitals), age, rowsInFile);
    }
}
