package org.covidrisk.cli.command;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.covidrisk.cli.synth.SyntheticCohort;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code covid-risk generate}: synthetic DGE-layout files, one per hospital. */
@Command(name = "generate", mixinStandardHelpOptions = true, description = "Write a synthetic multi-hospital cohort in the DGE 2022 layout (one CSV per hospital).")
public class GenerateCommand implements Callable<Integer> {

    @Option(names = "--out", defaultValue = ".covid-risk/cohort", description = "output folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--patients", defaultValue = "2000", description = "patients per hospital (default: ${DEFAULT-VALUE})")
    int patients;

    @Option(names = "--hospitals", defaultValue = "4", description = "number of hospitals, 1-4 (default: ${DEFAULT-VALUE})")
    int hospitals;

    @Option(names = "--seed", defaultValue = "2021", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (hospitals < 1 || hospitals > SyntheticCohort.DEMO_HOSPITALS.size()) {
            System.err.println("--hospitals must be 1-" + SyntheticCohort.DEMO_HOSPITALS.size());
            return 2;
        }
        List<Path> files = new SyntheticCohort(seed).write(out, SyntheticCohort.DEMO_HOSPITALS.subList(0, hospitals),
                patients);
        files.forEach(f -> System.out.println("wrote " + f));
        return 0;
    }
}
