package org.covidrisk.cli;

import org.covidrisk.cli.command.DemoCommand;
import org.covidrisk.cli.command.GenerateCommand;
import org.covidrisk.cli.command.ImagingValidateCommand;
import org.covidrisk.cli.command.ImportXraysCommand;
import org.covidrisk.cli.command.StopCommand;
import org.covidrisk.cli.command.UploadCommand;
import org.covidrisk.cli.command.ValidateCommand;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code covid-risk} command line. */
@Command(name = "covid-risk", mixinStandardHelpOptions = true, version = "covid-risk 0.1.0", description = "COVID-19 in-hospital mortality risk suite: run it on one machine, generate synthetic cohorts.", subcommands = {
        DemoCommand.class, StopCommand.class, GenerateCommand.class, ValidateCommand.class,
        ImagingValidateCommand.class, ImportXraysCommand.class, UploadCommand.class})
public final class CovidRisk {

    public static void main(String[] args) {
        // the service libraries that `validate` runs log through JBoss Logging; set before anything logs
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        System.setProperty("ai.djl.offline", "true");
        System.exit(new CommandLine(new CovidRisk()).execute(args));
    }
}
