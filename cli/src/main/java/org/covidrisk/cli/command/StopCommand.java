package org.covidrisk.cli.command;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code covid-risk stop}: stops a suite left running (e.g. a demo whose terminal was killed). */
@Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop every process a demo started.")
public class StopCommand implements Callable<Integer> {

    @Option(names = "--run-dir", defaultValue = ".covid-risk/run", description = "run folder (default: ${DEFAULT-VALUE})")
    Path runDir;

    @Override
    public Integer call() throws Exception {
        Path pids = runDir.resolve("suite.pids");
        if (!Files.exists(pids)) {
            System.out.println("nothing to stop (no " + pids + ")");
            return 0;
        }
        List<String> lines = Files.readAllLines(pids);
        for (int i = lines.size() - 1; i >= 0; i--) {
            String[] parts = lines.get(i).split(" ", 2);
            Optional<ProcessHandle> p = ProcessHandle.of(Long.parseLong(parts[0]));
            if (p.isPresent() && p.get().isAlive()) {
                p.get().descendants().forEach(ProcessHandle::destroy);
                p.get().destroy();
                System.out.println("stopping " + parts[1] + " (pid " + parts[0] + ")");
                p.get().onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
        Files.delete(pids);
        System.out.println("stopped");
        return 0;
    }
}
