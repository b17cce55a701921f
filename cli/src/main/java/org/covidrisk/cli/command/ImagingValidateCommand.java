package org.covidrisk.cli.command;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.covidrisk.cli.xray.EnsembleSecondLayer;
import org.covidrisk.imaging.model.ImagingValidation;
import org.covidrisk.imaging.model.NetOptions;
import org.covidrisk.imaging.model.SyntheticXrays;
import org.covidrisk.imaging.model.TrainOptions;
import org.covidrisk.imaging.model.XrayModel;
import org.covidrisk.imaging.model.XraySet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code covid-risk imaging-validate}: trains the X-ray CNN (findings pre-training, survival fine-tuning) and the
 * second layer on one directory and reports patient-level AUROCs on another ({@code --train-dir/--test-dir}, the
 * stable interface), or cross-validates on one directory ({@code --cv-dir}), or writes a synthetic directory. The
 * second layer is the served one, ensemble-service's {@code XraySecondLayer} ({@link EnsembleSecondLayer}).
 */
@Command(name = "imaging-validate", mixinStandardHelpOptions = true, description = "Train and validate the chest X-ray CNN + second layer (IJIMAI 2021); each DIR holds metadata.csv and images/.")
public class ImagingValidateCommand implements Callable<Integer> {

    static class Mode {
        @ArgGroup(exclusive = false)
        TrainTest trainTest;

        @Option(names = "--cv-dir", description = "k-fold patient-level cross-validation on this directory")
        Path cvDir;

        @Option(names = "--write-synthetic", description = "write a seeded synthetic X-ray directory here and exit")
        Path synthetic;
    }

    static class TrainTest {
        @Option(names = "--train-dir", required = true, description = "training directory")
        Path trainDir;

        @Option(names = "--test-dir", required = true, description = "test directory")
        Path testDir;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    @Option(names = "--json", description = "print the report as JSON")
    boolean json;

    @Option(names = "--seed", defaultValue = "42", description = "seed of folds, weights and augmentation (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--folds", defaultValue = "5", description = "folds (default: ${DEFAULT-VALUE})")
    int folds;

    @Option(names = "--threads", defaultValue = "2", description = "PyTorch intra-op threads; 1 is faster on a machine already loaded by other work (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--input-size", defaultValue = "64", description = "network input side in pixels (default: ${DEFAULT-VALUE})")
    int inputSize;

    @Option(names = "--width", defaultValue = "32", description = "filters of the first stage; 64 is torchvision resnet18 (default: ${DEFAULT-VALUE})")
    int width;

    @Option(names = "--pretrain-epochs", defaultValue = "8", description = "findings pre-training epochs (default: ${DEFAULT-VALUE})")
    int pretrainEpochs;

    @Option(names = "--finetune-epochs", defaultValue = "10", description = "survival fine-tuning epochs (default: ${DEFAULT-VALUE})")
    int finetuneEpochs;

    @Option(names = "--no-scratch", description = "cross-validation: skip the from-scratch comparison")
    boolean noScratch;

    @Option(names = "--model-out", description = "train/test: save the final survival model (weights + provenance) here")
    Path modelOut;

    @Option(names = "--patients", defaultValue = "120", description = "--write-synthetic: patients (default: ${DEFAULT-VALUE})")
    int patients;

    @Override
    public Integer call() throws Exception {
        if (mode.synthetic != null) {
            SyntheticXrays.write(mode.synthetic, patients, 256, seed);
            System.out.println("wrote " + mode.synthetic.resolve("metadata.csv"));
            return 0;
        }
        // Read once when DJL starts the engine, so it is set before anything touches DJL.
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        System.setProperty("ai.djl.offline", "true");
        var d = ImagingValidation.Settings.defaults(seed);
        var settings = new ImagingValidation.Settings(new NetOptions(inputSize, width, new int[]{2, 2, 2, 2}, 2),
                new TrainOptions(pretrainEpochs, d.pretrain().batchSize(), d.pretrain().learningRate(),
                        d.pretrain().weightDecay(), true, seed),
                new TrainOptions(finetuneEpochs, d.finetune().batchSize(), d.finetune().learningRate(),
                        d.finetune().weightDecay(), true, seed),
                folds, seed, threads, !noScratch);
        var secondLayer = new EnsembleSecondLayer(seed);
        Map<String, Object> report;
        if (mode.cvDir != null) {
            report = new LinkedHashMap<>(ImagingValidation.crossValidate(XraySet.load(mode.cvDir, inputSize),
                    settings, secondLayer));
        } else {
            XraySet train = XraySet.load(mode.trainTest.trainDir, inputSize);
            XraySet test = XraySet.load(mode.trainTest.testDir, inputSize);
            var result = ImagingValidation.trainTest(train, test, settings, secondLayer);
            try (XrayModel model = result.model()) {
                report = new LinkedHashMap<>(result.report());
                if (modelOut != null) {
                    model.save(modelOut);
                    report.put("model_dir", modelOut.toString());
                }
            }
        }
        report.put("second_layer", EnsembleSecondLayer.DESCRIPTION);
        if (json) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(report));
        } else {
            report.forEach((k, v) -> System.out.println(k + ": " + v));
        }
        return 0;
    }
}
