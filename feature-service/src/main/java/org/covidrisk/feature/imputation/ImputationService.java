package org.covidrisk.feature.imputation;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.covidrisk.feature.config.FeatureConfig;
import org.covidrisk.feature.v1.FitImputerRequest;
import org.covidrisk.feature.v1.FitImputerResponse;
import org.covidrisk.feature.v1.ImputationOptions;
import org.covidrisk.feature.v1.ImputeRequest;
import org.covidrisk.feature.v1.ImputeResponse;
import org.covidrisk.feature.v1.ImputedMatrix;
import org.covidrisk.feature.v1.ImputedNames;
import org.covidrisk.feature.v1.PooledEstimate;
import org.covidrisk.feature.v1.Vector;
import org.covidrisk.platform.grpc.GrpcProblems;
import org.covidrisk.platform.grpc.GrpcProblems.Violation;

import io.grpc.Status;

/**
 * FitImputer and Impute: checks a request, runs MICE on the feature matrix (through its {@link FeatureFrame}) or
 * applies a stored imputer, and answers in the feature layout. Every problem is INVALID_ARGUMENT naming the field.
 */
@ApplicationScoped
public class ImputationService {

    @Inject
    FeatureConfig config;

    public FitImputerResponse fit(FitImputerRequest request) {
        List<Violation> problems = new ArrayList<>();
        int n = request.getRowsCount();
        int width = request.getFeatureSet().getFeaturesCount();
        if (width == 0) {
            problems.add(new Violation("feature_set", "has no features"));
        }
        if (n < 2) {
            problems.add(new Violation("rows", "needs at least 2 rows"));
        }
        if (n > config.imputation().maxRows()) {
            problems.add(new Violation("rows", "more than " + config.imputation().maxRows() + " rows"));
        }
        if (request.getDiedCount() != 0 && request.getDiedCount() != n) {
            problems.add(new Violation("died", "has " + request.getDiedCount() + " values for " + n + " rows"));
        }
        checkWidths(request.getRowsList(), width, problems);
        ImputationOptions o = request.getOptions();
        MiceOptions options = null;
        try {
            options = new MiceOptions(o.getImputations() == 0 ? 10 : o.getImputations(),
                    o.getIterations() == 0 ? 10 : o.getIterations(), o.getSeed(),
                    o.getDonors() == 0 ? 5 : o.getDonors(),
                    Math.max(config.imputation().maxStoredDonors(), o.getDonors()),
                    config.imputation().scoringIterations());
        } catch (IllegalArgumentException e) {
            problems.add(new Violation("options", e.getMessage()));
        }
        FeatureFrame frame = null;
        try {
            frame = new FeatureFrame(request.getFeatureSet());
        } catch (IllegalArgumentException e) {
            problems.add(new Violation("feature_set", e.getMessage()));
        }
        if (!problems.isEmpty()) {
            throw GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "invalid imputation request", problems);
        }
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = frame.toFrame(values(request.getRows(i)));
        }
        double[] outcome = null;
        if (request.getDiedCount() == n) {
            outcome = new double[n];
            for (int i = 0; i < n; i++) {
                outcome[i] = request.getDied(i) ? 1 : 0;
            }
        }
        MiceResult result;
        try {
            result = Mice.fit(frame.columns(), rows, outcome, options);
        } catch (IllegalArgumentException e) {
            throw GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "cannot impute: " + e.getMessage(),
                    List.of(new Violation("rows", e.getMessage())));
        }
        FitImputerResponse.Builder out = FitImputerResponse.newBuilder()
                .setImputer(ImputerCodec.encode(result.imputer(), request.getFeatureSet()));
        double[][][] features = new double[result.completed().length][n][];
        for (int c = 0; c < features.length; c++) {
            ImputedMatrix.Builder mb = ImputedMatrix.newBuilder();
            for (int i = 0; i < n; i++) {
                features[c][i] = frame.toFeatures(result.completed()[c][i]);
                mb.addRows(vector(features[c][i]));
            }
            out.addImputations(mb);
        }
        if (features.length >= 2) {
            pooledMeans(request, features, out);
        }
        return out.build();
    }

    /** Rubin's rules for the mean of each feature: per imputation the mean and its squared standard error. */
    private static void pooledMeans(FitImputerRequest request, double[][][] features, FitImputerResponse.Builder out) {
        int m = features.length;
        int n = features[0].length;
        for (int f = 0; f < request.getFeatureSet().getFeaturesCount(); f++) {
            double[] q = new double[m];
            double[] u = new double[m];
            for (int c = 0; c < m; c++) {
                double sum = 0;
                for (double[] row : features[c]) {
                    sum += row[f];
                }
                double mean = sum / n;
                double ss = 0;
                for (double[] row : features[c]) {
                    ss += (row[f] - mean) * (row[f] - mean);
                }
                q[c] = mean;
                u[c] = ss / (n - 1) / n;
            }
            int missing = 0;
            for (Vector v : request.getRowsList()) {
                missing += Double.isNaN(v.getValues(f)) ? 1 : 0;
            }
            RubinsRules.Pooled p = RubinsRules.pool(q, u, n - 1);
            out.addPooledMeans(PooledEstimate.newBuilder().setFeature(request.getFeatureSet().getFeatures(f)
                    .getName()).setEstimate(p.estimate()).setWithin(p.within()).setBetween(p.between())
                    .setTotal(p.total()).setDf(p.df()).setFmi(p.fmi()).setMissing(missing));
        }
    }

    public ImputeResponse impute(ImputeRequest request) {
        FittedImputer imputer;
        FeatureFrame frame;
        try {
            imputer = ImputerCodec.decode(request.getImputer());
            frame = new FeatureFrame(request.getImputer().getFeatureSet());
            if (frame.columns().size() != imputer.columns().size()) {
                throw new IllegalArgumentException("imputer variables do not match its feature set");
            }
        } catch (IllegalArgumentException e) {
            throw GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "unusable imputer: " + e.getMessage(),
                    List.of(new Violation("imputer", e.getMessage())));
        }
        List<Violation> problems = new ArrayList<>();
        int width = request.getImputer().getFeatureSet().getFeaturesCount();
        checkWidths(request.getRowsList(), width, problems);
        if (!problems.isEmpty()) {
            throw GrpcProblems.of(Status.Code.INVALID_ARGUMENT, "invalid imputation request", problems);
        }
        int n = request.getRowsCount();
        double[][] rows = new double[n][];
        ImputeResponse.Builder out = ImputeResponse.newBuilder();
        for (int i = 0; i < n; i++) {
            double[] v = values(request.getRows(i));
            rows[i] = frame.toFrame(v);
            ImputedNames.Builder names = ImputedNames.newBuilder();
            for (int f = 0; f < v.length; f++) {
                if (Double.isNaN(v[f])) {
                    names.addFeatures(request.getImputer().getFeatureSet().getFeatures(f).getName());
                }
            }
            out.addImputed(names);
        }
        for (double[][] completed : imputer.impute(rows, request.getSeed())) {
            ImputedMatrix.Builder mb = ImputedMatrix.newBuilder();
            for (double[] r : completed) {
                mb.addRows(vector(frame.toFeatures(r)));
            }
            out.addImputations(mb);
        }
        return out.build();
    }

    private static void checkWidths(List<Vector> rows, int width, List<Violation> problems) {
        for (int i = 0; i < rows.size() && problems.size() < 10; i++) {
            if (rows.get(i).getValuesCount() != width) {
                problems.add(new Violation("rows[" + i + "]", "has " + rows.get(i).getValuesCount()
                        + " values, expected " + width));
            }
        }
    }

    private static double[] values(Vector v) {
        return v.getValuesList().stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static Vector vector(double[] v) {
        Vector.Builder b = Vector.newBuilder();
        for (double x : v) {
            b.addValues(x);
        }
        return b.build();
    }
}
