package org.covidrisk.feature.population;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipInputStream;

/**
 * Benchmark of the population meta-features against the peer {@code ../shared/peers/knn_lethality.py}, run by
 * {@code ./covid-risk bench meta-features}. Prepares the same matrix as the peer's {@code common.mexico} (14 yes/no
 * fields, male, age, USMER, days onset→admission; hospitalised confirmed positives unless {@code --all-rows};
 * median fill; standardisation), times the search and the meta-features, and compares lethality with the peer's.
 * <p>
 * Arguments: {@code DGE_ZIP PEER_CSV PEER_KNN_SECONDS [--all-rows] [--k 100]}.
 */
public final class MetaFeatureBenchmark {

    static final List<String> YN = List.of("DIABETES", "EPOC", "ASMA", "INMUSUPR", "HIPERTENSION", "OTRA_COM",
            "CARDIOVASCULAR", "OBESIDAD", "RENAL_CRONICA", "TABAQUISMO", "EMBARAZO", "NEUMONIA", "INTUBADO", "UCI");

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        Path peerCsv = Path.of(args[1]);
        double peerSeconds = Double.parseDouble(args[2]);
        boolean allRows = Arrays.asList(args).contains("--all-rows");
        int k = Arrays.asList(args).contains("--k")
                ? Integer.parseInt(args[Arrays.asList(args).indexOf("--k") + 1])
                : 100;
        int threads = Runtime.getRuntime().availableProcessors();

        List<double[]> rows = new ArrayList<>();
        List<Boolean> died = new ArrayList<>();
        load(data, allRows, rows, died);
        double[][] x = rows.toArray(double[][]::new);
        boolean[] y = new boolean[died.size()];
        double[] age = new double[x.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = died.get(i);
            age[i] = x[i][15];
        }
        fillMediansAndStandardise(x);
        System.out.printf("rows=%d features=%d k=%d threads=%d%n", x.length, x[0].length, k, threads);

        double[] peer = readPeerLethality(peerCsv);
        boolean exactFeasible = x.length <= 60_000;
        int[][] exactNb = null;
        if (exactFeasible) {
            long t0 = System.nanoTime();
            exactNb = new ExactCosineSearch(x, threads).selfNeighbours(k);
            var exact = PopulationMetaFeatures.of(exactNb, y, age);
            double s = (System.nanoTime() - t0) / 1e9;
            report("exact", s, peerSeconds, exact, peer, 1.0);
        }
        long t0 = System.nanoTime();
        HnswCosineSearch hnsw = new HnswCosineSearch(x, HnswCosineSearch.Options.defaults(), threads);
        int[][] approxNb = hnsw.selfNeighbours(k);
        var approx = PopulationMetaFeatures.of(approxNb, y, age);
        double s = (System.nanoTime() - t0) / 1e9;
        double recall = exactNb != null ? Exactness.recall(exactNb, approxNb) : sampledRecall(x, approxNb, k, threads);
        report("hnsw", s, peerSeconds, approx, peer, recall);
        System.out.printf("hnsw   tie-aware exactness (a neighbour counts when as similar as the true K-th): %.4f%n",
                tieAwareRecall(x, approxNb, k));
    }

    /**
     * Share of returned neighbours at least as similar as the true K-th neighbour, on 2,000 sampled queries. The DGE
     * vectors are mostly binary, so many patients are identical and "the" top K is arbitrary among ties; this
     * counts any equally similar patient as correct.
     */
    static double tieAwareRecall(double[][] x, int[][] approx, int k) {
        int dim = x[0].length;
        float[] v = NeighbourSearch.normalise(x, dim);
        int[] sample = new java.util.Random(1).ints(0, x.length).distinct().limit(2000).toArray();
        double total = 0;
        for (int i : sample) {
            float[] sims = new float[x.length - 1];
            int c = 0;
            for (int j = 0; j < x.length; j++) {
                if (j == i) {
                    continue;
                }
                float d = 0;
                for (int t = 0; t < dim; t++) {
                    d += v[i * dim + t] * v[j * dim + t];
                }
                sims[c++] = d;
            }
            float[] sorted = sims.clone();
            Arrays.sort(sorted);
            float kth = sorted[sorted.length - k];
            int ok = 0;
            for (int j : approx[i]) {
                float d = 0;
                for (int t = 0; t < dim; t++) {
                    d += v[i * dim + t] * v[j * dim + t];
                }
                ok += d >= kth - 1e-5f ? 1 : 0;
            }
            total += ok / (double) k;
        }
        return total / sample.length;
    }

    static void report(String name, double seconds, double peerSeconds, PopulationMetaFeatures.Result r,
            double[] peer, double recall) {
        double mad = Double.NaN;
        if (peer != null && peer.length == r.lethality().length) {
            mad = 0;
            for (int i = 0; i < peer.length; i++) {
                mad += Math.abs(peer[i] - r.lethality()[i]);
            }
            mad /= peer.length;
        }
        System.out.printf(
                "%-6s time=%.2fs peer_knn_time=%.2fs ratio(ours/peer)=%.3f mean_lethality=%.4f "
                        + "mean_death_entropy=%.4f mean_age_entropy=%.4f mad_lethality_vs_peer=%.4f exactness=%.4f%n",
                name, seconds, peerSeconds, seconds / peerSeconds, mean(r.lethality()), mean(r.deathEntropy()),
                mean(r.ageEntropy()), mad, recall);
    }

    /** Exactness of the approximate neighbours on a random sample of 2,000 queries (exact search on those). */
    static double sampledRecall(double[][] x, int[][] approx, int k, int threads) {
        java.util.Random r = new java.util.Random(1);
        int[] sample = r.ints(0, x.length).distinct().limit(2000).toArray();
        ExactCosineSearch exact = new ExactCosineSearch(x, threads);
        double[][] q = new double[sample.length][];
        for (int i = 0; i < sample.length; i++) {
            q[i] = x[sample[i]];
        }
        int[][] truth = exact.neighbours(q, k + 1);
        double total = 0;
        for (int i = 0; i < sample.length; i++) {
            final int self = sample[i];
            int[] t = Arrays.stream(truth[i]).filter(j -> j != self).limit(k).toArray();
            total += Exactness.recall(new int[][]{t}, new int[][]{approx[self]});
        }
        return total / sample.length;
    }

    static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    static double[] readPeerLethality(Path csv) throws IOException {
        if (!Files.exists(csv)) {
            return null;
        }
        List<String> lines = Files.readAllLines(csv);
        return lines.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[0])).toArray();
    }

    /** The peer's common.mexico, column for column. */
    static void load(Path zip, boolean allRows, List<double[]> rows, List<Boolean> died) throws IOException {
        try (ZipInputStream z = new ZipInputStream(Files.newInputStream(zip))) {
            z.getNextEntry();
            BufferedReader in = new BufferedReader(new InputStreamReader(z, StandardCharsets.UTF_8));
            List<String> header = split(in.readLine().replace("\uFEFF", ""));
            int[] yn = YN.stream().mapToInt(header::indexOf).toArray();
            int sexo = header.indexOf("SEXO");
            int edad = header.indexOf("EDAD");
            int origen = header.indexOf("ORIGEN");
            int ingreso = header.indexOf("FECHA_INGRESO");
            int sintomas = header.indexOf("FECHA_SINTOMAS");
            int def = header.indexOf("FECHA_DEF");
            int res = header.indexOf("RESULTADO");
            int clas = header.indexOf("CLASIFICACION_FINAL");
            int tipo = header.indexOf("TIPO_PACIENTE");
            String line;
            while ((line = in.readLine()) != null) {
                List<String> v = split(line);
                if (!allRows) {
                    boolean positive = res >= 0
                            ? v.get(res).equals("1")
                            : List.of("1", "2", "3").contains(v.get(clas));
                    if (!positive || !v.get(tipo).equals("2")) {
                        continue;
                    }
                }
                double[] row = new double[18];
                for (int c = 0; c < yn.length; c++) {
                    String s = v.get(yn[c]);
                    row[c] = s.equals("1") ? 1 : s.equals("2") ? 0 : Double.NaN;
                }
                row[14] = v.get(sexo).equals("2") ? 1 : 0;
                row[15] = Double.parseDouble(v.get(edad));
                row[16] = v.get(origen).equals("1") ? 1 : 0;
                long days = LocalDate.parse(v.get(sintomas)).until(LocalDate.parse(v.get(ingreso)),
                        java.time.temporal.ChronoUnit.DAYS);
                row[17] = Math.max(0, Math.min(60, days));
                String d = v.get(def);
                died.add(d.matches("\\d{4}-\\d{2}-\\d{2}") && !d.equals("9999-99-99"));
                rows.add(row);
            }
        }
    }

    private static List<String> split(String line) {
        String[] parts = line.split(",", -1);
        List<String> out = new ArrayList<>(parts.length);
        for (String p : parts) {
            out.add(p.replace("\"", "").strip());
        }
        return out;
    }

    /** Median fill (NaN ignored), then the service's own standardisation, as the peer does. */
    static void fillMediansAndStandardise(double[][] x) {
        int dim = x[0].length;
        for (int d = 0; d < dim; d++) {
            final int col = d;
            double[] present = Arrays.stream(x).mapToDouble(r -> r[col]).filter(v -> !Double.isNaN(v)).sorted()
                    .toArray();
            int m = present.length;
            double median = m == 0 ? 0 : m % 2 == 1 ? present[m / 2] : (present[m / 2 - 1] + present[m / 2]) / 2;
            for (double[] r : x) {
                if (Double.isNaN(r[col])) {
                    r[col] = median;
                }
            }
        }
        PopulationService.standardise(x, new double[0][], dim);
    }
}
