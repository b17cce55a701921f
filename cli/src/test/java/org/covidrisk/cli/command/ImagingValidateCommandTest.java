package org.covidrisk.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.covidrisk.cli.CovidRisk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine;

class ImagingValidateCommandTest {

    private static String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, new CommandLine(new CovidRisk()).execute(args));
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void trainsOnOneSyntheticDirAndReportsTheOtherAsJson(@TempDir Path dir) throws Exception {
        run("imaging-validate", "--write-synthetic", dir.resolve("train").toString(), "--patients", "36", "--seed",
                "1");
        run("imaging-validate", "--write-synthetic", dir.resolve("test").toString(), "--patients", "24", "--seed",
                "2");
        String out = run("imaging-validate", "--train-dir", dir.resolve("train").toString(), "--test-dir",
                dir.resolve("test").toString(), "--json", "--input-size", "32", "--width", "4", "--pretrain-epochs",
                "1", "--finetune-epochs", "1", "--folds", "2", "--threads", "1", "--model-out",
                dir.resolve("model").toString());
        JsonNode j = new ObjectMapper().readTree(out);
        long trainPatients = Files.readAllLines(dir.resolve("train/metadata.csv")).stream().skip(1)
                .map(l -> l.split(",", -1)).filter(c -> !c[5].isEmpty()).map(c -> c[0]).distinct().count();
        assertEquals(trainPatients, j.get("n_train_patients").asLong());
        assertTrue(j.get("n_test_patients").asInt() > 0);
        assertEquals("ensemble-service XraySecondLayer (logistic on CNN logit, age, sex)", j.get("second_layer")
                .asText());
        for (String k : new String[]{"auroc_cnn", "auroc_second_layer"}) {
            double a = j.get(k).asDouble();
            assertTrue(a >= 0 && a <= 1, k + " = " + a);
        }
        assertTrue(Files.isRegularFile(dir.resolve("model/provenance.json")));
        assertTrue(Files.readString(dir.resolve("model/provenance.json")).contains("resnet-basic[2,2,2,2]-w4-grey32"));
    }

    @Test
    void refusesMissingTestDir() {
        assertEquals(2, new CommandLine(new CovidRisk()).execute("imaging-validate", "--train-dir", "x"));
    }
}
