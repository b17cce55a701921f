package org.covidrisk.cli.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.covidrisk.ensemble.learn.TrainingData;

/**
 * The Tongji cohort of Yan et al. 2020 ({@code time_series_375_prerpocess_en.csv}) as the stacking peer's
 * {@code common.tongji} sees it, so that both stacks learn from the same matrix: one row per patient (the
 * {@code PATIENT_ID} of a patient's first line carried forward), every column but the dates and the outcome as a
 * feature (age, gender and each lab), each feature the patient's first non-empty value (NaN if never measured),
 * patients in ascending id order. The export has no quoted fields (checked: a quote is refused).
 *
 * @param data features and outcome (death = {@code outcome} 1)
 * @param keys patient id per row, as the fold file writes it
 */
public record TongjiCohort(TrainingData data, List<String> keys) {

    static final String ID = "PATIENT_ID";
    static final String OUTCOME = "outcome";
    static final Set<String> DROPPED = Set.of("RE_DATE", "Admission time", "Discharge time");

    public static TongjiCohort read(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    public static TongjiCohort parse(List<String> lines) {
        String[] header = lines.get(0).replace("\uFEFF", "").split(",", -1);
        int idCol = List.of(header).indexOf(ID);
        int outcomeCol = List.of(header).indexOf(OUTCOME);
        if (idCol < 0 || outcomeCol < 0) {
            throw new IllegalArgumentException("line 1: the header needs " + ID + " and " + OUTCOME);
        }
        List<Integer> featureCols = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int j = 0; j < header.length; j++) {
            if (j != idCol && j != outcomeCol && !DROPPED.contains(header[j])) {
                featureCols.add(j);
                names.add(header[j].strip());
            }
        }
        Map<Long, double[]> first = new TreeMap<>();
        Map<Long, Double> outcome = new TreeMap<>();
        Long current = null;
        for (int ln = 2; ln <= lines.size(); ln++) {
            String line = lines.get(ln - 1);
            if (line.isBlank()) {
                continue;
            }
            if (line.indexOf('"') >= 0) {
                throw new IllegalArgumentException("line " + ln + ": quoted fields are not expected in this export");
            }
            String[] f = line.split(",", -1);
            if (f.length != header.length) {
                throw new IllegalArgumentException("line " + ln + ": " + f.length + " fields, the header has "
                        + header.length);
            }
            if (!f[idCol].isEmpty()) {
                current = (long) number(f[idCol], ID, ln);
            }
            if (current == null) {
                throw new IllegalArgumentException("line " + ln + ": no " + ID + " on or before this line");
            }
            double[] row = first.computeIfAbsent(current, k -> {
                double[] r = new double[featureCols.size()];
                Arrays.fill(r, Double.NaN);
                return r;
            });
            for (int c = 0; c < row.length; c++) {
                String v = f[featureCols.get(c)];
                if (Double.isNaN(row[c]) && !v.isEmpty()) {
                    row[c] = number(v, names.get(c), ln);
                }
            }
            if (!outcome.containsKey(current) && !f[outcomeCol].isEmpty()) {
                double o = number(f[outcomeCol], OUTCOME, ln);
                if (o != 0 && o != 1) {
                    throw new IllegalArgumentException("line " + ln + ": outcome must be 0 or 1, was " + o);
                }
                outcome.put(current, o);
            }
        }
        List<double[]> rows = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        boolean[] died = new boolean[first.size()];
        for (Map.Entry<Long, double[]> e : first.entrySet()) {
            Double o = outcome.get(e.getKey());
            if (o == null) {
                throw new IllegalArgumentException("patient " + e.getKey() + " has no outcome");
            }
            died[rows.size()] = o == 1;
            rows.add(e.getValue());
            keys.add(Long.toString(e.getKey()));
        }
        return new TongjiCohort(new TrainingData(List.copyOf(names), rows, died), List.copyOf(keys));
    }

    private static double number(String s, String column, int ln) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("line " + ln + " column " + column + ": not a number");
        }
    }
}
