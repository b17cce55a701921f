package org.covidrisk.feature.imputation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.covidrisk.feature.v1.FeatureSet;
import org.covidrisk.feature.v1.Imputer;
import org.covidrisk.feature.v1.ImputerChain;
import org.covidrisk.feature.v1.ImputerModel;
import org.covidrisk.feature.v1.ImputerVariable;
import org.covidrisk.feature.v1.LogisticModel;
import org.covidrisk.feature.v1.PmmModel;
import org.covidrisk.feature.v1.Vector;

/**
 * A fitted imputer as a protobuf {@link Imputer} message, the form in which it travels to ensemble-service and is
 * stored with a model version, and back. The format name is checked on the way in so an incompatible future
 * layout fails loudly instead of imputing nonsense.
 */
public final class ImputerCodec {

    public static final String FORMAT = "mice-v1";

    private ImputerCodec() {
    }

    public static Imputer encode(FittedImputer imputer, FeatureSet set) {
        FittedImputer.Parts p = imputer.parts();
        Imputer.Builder b = Imputer.newBuilder().setFormat(FORMAT).setFeatureSet(set)
                .setDonors(p.options().donors()).setScoringIterations(p.options().scoringIterations())
                .setIterations(p.options().iterations()).setSeed(p.options().seed());
        for (int k = 0; k < p.columns().size(); k++) {
            ImputerVariable.Builder v = ImputerVariable.newBuilder().setName(p.columns().get(k).name())
                    .setKind(p.columns().get(k).kind().name().toLowerCase(Locale.ROOT)).setMean(p.mean()[k])
                    .setSd(p.sd()[k]).setStart(p.start()[k]);
            for (double l : p.levels()[k]) {
                v.addLevels(l);
            }
            b.addVariables(v);
        }
        for (ColumnModel[] chain : p.models()) {
            ImputerChain.Builder c = ImputerChain.newBuilder();
            for (ColumnModel m : chain) {
                c.addModels(switch (m) {
                    case ColumnModel.Pmm pmm -> ImputerModel.newBuilder().setPmm(PmmModel.newBuilder()
                            .addAllCoefficients(boxed(pmm.coefficients()))
                            .addAllDonorPredictions(boxed(pmm.donorPredictions()))
                            .addAllDonorValues(boxed(pmm.donorValues())));
                    case ColumnModel.Logistic lg -> {
                        LogisticModel.Builder l = LogisticModel.newBuilder().addAllLevels(boxed(lg.levels()));
                        for (double[] beta : lg.coefficients()) {
                            l.addCoefficients(Vector.newBuilder().addAllValues(boxed(beta)));
                        }
                        yield ImputerModel.newBuilder().setLogistic(l);
                    }
                });
            }
            b.addChains(c);
        }
        return b.build();
    }

    /** @throws IllegalArgumentException when the message is not a usable imputer */
    public static FittedImputer decode(Imputer message) {
        if (!FORMAT.equals(message.getFormat())) {
            throw new IllegalArgumentException("imputer format '" + message.getFormat() + "' is not " + FORMAT);
        }
        int p = message.getVariablesCount();
        List<Column> columns = new ArrayList<>();
        double[] mean = new double[p];
        double[] sd = new double[p];
        double[] start = new double[p];
        double[][] levels = new double[p][];
        for (int k = 0; k < p; k++) {
            ImputerVariable v = message.getVariables(k);
            columns.add(new Column(v.getName(), ColumnKind.valueOf(v.getKind().toUpperCase(Locale.ROOT))));
            mean[k] = v.getMean();
            sd[k] = v.getSd();
            start[k] = v.getStart();
            levels[k] = unboxed(v.getLevelsList());
        }
        if (message.getChainsCount() == 0) {
            throw new IllegalArgumentException("imputer has no chains");
        }
        ColumnModel[][] models = new ColumnModel[message.getChainsCount()][p];
        for (int c = 0; c < models.length; c++) {
            ImputerChain chain = message.getChains(c);
            if (chain.getModelsCount() != p) {
                throw new IllegalArgumentException("imputer chain " + c + " has " + chain.getModelsCount()
                        + " models for " + p + " variables");
            }
            for (int k = 0; k < p; k++) {
                ImputerModel m = chain.getModels(k);
                models[c][k] = switch (m.getModelCase()) {
                    case PMM -> new ColumnModel.Pmm(unboxed(m.getPmm().getCoefficientsList()),
                            unboxed(m.getPmm().getDonorPredictionsList()), unboxed(m.getPmm().getDonorValuesList()));
                    case LOGISTIC -> new ColumnModel.Logistic(unboxed(m.getLogistic().getLevelsList()),
                            m.getLogistic().getCoefficientsList().stream()
                                    .map(vec -> unboxed(vec.getValuesList())).toArray(double[][]::new));
                    default -> throw new IllegalArgumentException("imputer model " + c + "/" + k + " is empty");
                };
            }
        }
        MiceOptions options = new MiceOptions(models.length, Math.max(1, message.getIterations()),
                message.getSeed(), Math.max(1, message.getDonors()), Math.max(1, message.getDonors()),
                Math.max(1, message.getScoringIterations()));
        return FittedImputer.of(new FittedImputer.Parts(columns, mean, sd, levels, start, models, options));
    }

    private static List<Double> boxed(double[] v) {
        List<Double> out = new ArrayList<>(v.length);
        for (double x : v) {
            out.add(x);
        }
        return out;
    }

    private static double[] unboxed(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
