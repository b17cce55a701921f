package org.covidrisk.feature.population;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.covidrisk.feature.config.FeatureConfig;
import org.covidrisk.feature.v1.MetaFeatureRow;
import org.covidrisk.feature.v1.MetaFeaturesRequest;
import org.covidrisk.feature.v1.MetaFeaturesResponse;
import org.covidrisk.feature.v1.PopulationMember;
import org.covidrisk.feature.v1.Vector;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.grpc.GrpcProblems.Violation;

import io.grpc.Status;

/**
 * Computes population meta-features for a request: standardises with the population's own mean and deviation
 * (a query never shifts them), searches exactly up to the configured size and with HNSW beyond.
 */
@ApplicationScoped
public class PopulationService {

    /** Default neighbourhood size (the paper's K). */
    public static final int DEFAULT_K = 100;

    @Inject
    FeatureConfig config;

    public MetaFeaturesResponse compute(MetaFeaturesRequest request) throws InterruptedException {
        int n = request.getPopulationCount();
        List<Violation> problems = new ArrayList<>();
        if (n < 2) {
            problems.add(new Violation("population", "needs at least 2 members"));
        }
        if (n > config.population().maxRows()) {
            problems.add(new Violation("population", "more than " + config.population().maxRows() + " members"));
        }
        int k = request.getK() == 0 ? DEFAULT_K : request.getK();
        boolean self = request.getQueriesCount() == 0;
        int available = self ? n - 1 : n;
        if (k < 1) {
            problems.add(new Violation("k", "must be at least 1"));
        }
        int dim = n == 0 ? 0 : request.getPopulation(0).getValuesCount();
        for (int i = 0; i < n && problems.size() < 10; i++) {
            if (request.getPopulation(i).getValuesCount() != dim) {
                problems.add(new Violation("population[" + i + "]", "has " + request.getPopulation(i)
                        .getValuesCount() + " values, expected " + dim));
            }
        }
        for (int i = 0; i < request.getQueriesCount() && problems.size() < 10; i++) {
            if (request.getQueries(i).getValuesCount() != dim) {
                problems.add(new Violation("queries[" + i + "]", "has " + request.getQueries(i).getValuesCount()
                        + " values, expected " + dim));
            }
        }
        if (!problems.isEmpty()) {
            throw GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "invalid meta-feature request", problems);
        }
        k = Math.min(k, available);
        double[][] pop = new double[n][];
        boolean[] died = new boolean[n];
        double[] age = new double[n];
        for (int i = 0; i < n; i++) {
            PopulationMember m = request.getPopulation(i);
            pop[i] = m.getValuesList().stream().mapToDouble(Double::doubleValue).toArray();
            died[i] = m.getDied();
            age[i] = m.getAge();
        }
        double[][] queries = new double[request.getQueriesCount()][];
        for (int i = 0; i < queries.length; i++) {
            Vector v = request.getQueries(i);
            queries[i] = v.getValuesList().stream().mapToDouble(Double::doubleValue).toArray();
        }
        int threads = config.population().threads() > 0
                ? config.population().threads()
                : Runtime.getRuntime().availableProcessors();
        boolean exact = n <= config.population().exactMaxRows();
        PopulationMetaFeatures.Result r = metaFeatures(pop, died, age, queries, k, exact, threads);
        MetaFeaturesResponse.Builder out = MetaFeaturesResponse.newBuilder().setSearch(exact ? "exact" : "hnsw");
        for (int i = 0; i < r.lethality().length; i++) {
            out.addRows(MetaFeatureRow.newBuilder().setLethality(r.lethality()[i])
                    .setDeathEntropy(r.deathEntropy()[i]).setAgeEntropy(r.ageEntropy()[i]));
        }
        return out.build();
    }

    /**
     * Meta-features of the queries against the population, or of every member against the others when there are
     * no queries (each leaving itself out). Standardises copies of the vectors with the population's statistics.
     *
     * @param exact brute-force search; otherwise HNSW (approximate, for large populations)
     */
    public static PopulationMetaFeatures.Result metaFeatures(double[][] population, boolean[] died, double[] age,
            double[][] queries, int k, boolean exact, int threads) throws InterruptedException {
        double[][] pop = new double[population.length][];
        for (int i = 0; i < pop.length; i++) {
            pop[i] = population[i].clone();
        }
        double[][] q = new double[queries.length][];
        for (int i = 0; i < q.length; i++) {
            q[i] = queries[i].clone();
        }
        int dim = pop.length == 0 ? 0 : pop[0].length;
        standardise(pop, q, dim);
        NeighbourSearch search = exact
                ? new ExactCosineSearch(pop, threads)
                : new HnswCosineSearch(pop, HnswCosineSearch.Options.defaults(), threads);
        int kk = Math.min(k, q.length == 0 ? pop.length - 1 : pop.length);
        int[][] nb = q.length == 0 ? search.selfNeighbours(kk) : search.neighbours(q, kk);
        return PopulationMetaFeatures.of(nb, died, age);
    }

    /** (x - mean) / (sd + 1e-9) with the population's statistics, as the stacking paper's peer does. */
    static void standardise(double[][] pop, double[][] queries, int dim) {
        for (int d = 0; d < dim; d++) {
            double sum = 0;
            for (double[] r : pop) {
                sum += r[d];
            }
            double mean = sum / pop.length;
            double ss = 0;
            for (double[] r : pop) {
                ss += (r[d] - mean) * (r[d] - mean);
            }
            double sd = Math.sqrt(ss / pop.length) + 1e-9;
            for (double[] r : pop) {
                r[d] = (r[d] - mean) / sd;
            }
            for (double[] r : queries) {
                r[d] = (r[d] - mean) / sd;
            }
        }
    }
}
