package org.covidrisk.feature.imputation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.covidrisk.feature.StageFeatureSets;
import org.covidrisk.feature.v1.FeatureSet;
import org.covidrisk.feature.v1.Imputer;
import org.junit.jupiter.api.Test;

class ImputerCodecTest {

    @Test
    void groupsOfIndicatorsAreOneCategoricalVariable() {
        FeatureSet set = StageFeatureSets.of(2);
        FeatureFrame frame = new FeatureFrame(set);
        List<String> names = frame.columns().stream().map(Column::name).toList();
        assertTrue(names.contains("sector") && names.contains("covid_status"));
        assertEquals(set.getFeaturesCount() - 5 + 1 - 2 + 1, frame.columns().size(), "5 sector, 2 COVID indicators");
        int cs = names.indexOf("covid_status");
        assertEquals(ColumnKind.CATEGORICAL, frame.columns().get(cs).kind());

        double[] features = new double[set.getFeaturesCount()];
        List<String> fn = set.getFeaturesList().stream().map(f -> f.getName()).toList();
        features[fn.indexOf("sector_12")] = 1;
        features[fn.indexOf("covid_pending")] = 1;
        features[fn.indexOf("age")] = 61;
        double[] row = frame.toFrame(features);
        assertEquals(2.0, row[cs], "pending is the second indicator of its group");
        assertEquals(4.0, row[names.indexOf("sector")], "sector_12 is the fourth");
        assertArrayEquals(features, frame.toFeatures(row));

        features[fn.indexOf("covid_confirmed")] = Double.NaN;
        row = frame.toFrame(features);
        assertTrue(Double.isNaN(row[cs]), "one unknown indicator makes the group unknown");
        double[] back = frame.toFeatures(row);
        assertTrue(Double.isNaN(back[fn.indexOf("covid_pending")]));
    }

    @Test
    void aStoredImputerImputesExactlyAsTheFittedOne() throws Exception {
        Random r = new Random(4);
        List<Column> cols = List.of(new Column("age", ColumnKind.CONTINUOUS), new Column("b", ColumnKind.BINARY),
                new Column("c", ColumnKind.CATEGORICAL));
        double[][] data = new double[400][];
        for (int i = 0; i < data.length; i++) {
            double age = 20 + 60 * r.nextDouble();
            data[i] = new double[]{r.nextDouble() < 0.2 ? Double.NaN : age,
                    r.nextDouble() < 0.2 ? Double.NaN : (age > 50 ? 1 : 0),
                    r.nextDouble() < 0.2 ? Double.NaN : r.nextInt(3)};
        }
        double[] died = Arrays.stream(data).mapToDouble(x -> r.nextDouble() < 0.3 ? 1 : 0).toArray();
        FittedImputer fitted = Mice.fit(cols, data, died, MiceOptions.defaults(12)).imputer();
        FeatureSet set = FeatureSet.newBuilder().setName("t").build();
        Imputer message = ImputerCodec.encode(fitted, set);
        FittedImputer back = ImputerCodec.decode(Imputer.parseFrom(message.toByteArray()));
        double[][] rows = {{Double.NaN, 1, 2}, {70, Double.NaN, Double.NaN}, {Double.NaN, Double.NaN, Double.NaN}};
        assertTrue(Arrays.deepEquals(fitted.impute(rows, 3), back.impute(rows, 3)));
        assertEquals(10, back.imputations());

        assertThrows(IllegalArgumentException.class, () -> ImputerCodec.decode(message.toBuilder()
                .setFormat("mice-v0").build()));
    }
}
