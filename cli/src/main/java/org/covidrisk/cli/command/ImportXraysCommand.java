package org.covidrisk.cli.command;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;

import org.covidrisk.cli.suite.Tokens;
import org.covidrisk.cli.xray.XrayImport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code covid-risk import-xrays}: uploads a chest X-ray directory ({@code metadata.csv} + {@code images/}, the
 * layout of the shared set) through the gateway as a data steward.
 */
@Command(name = "import-xrays", mixinStandardHelpOptions = true, description = "Upload chest X-rays (metadata.csv + images/) to the image store through the gateway, as a data steward.")
public class ImportXraysCommand implements Callable<Integer> {

    @Option(names = "--dir", required = true, description = "directory holding metadata.csv and images/")
    Path dir;

    @Option(names = "--gateway", defaultValue = "http://127.0.0.1:8080", description = "gateway URL (default: ${DEFAULT-VALUE})")
    String gateway;

    @Option(names = "--keycloak", defaultValue = "http://127.0.0.1:8180", description = "Keycloak URL (default: ${DEFAULT-VALUE})")
    String keycloak;

    @Option(names = "--user", defaultValue = "steward-09-04", description = "data steward (default: ${DEFAULT-VALUE})")
    String user;

    @Option(names = "--password", description = "the steward's password (default: $COVID_RISK_PASSWORD, else the demo password)")
    String password;

    @Option(names = "--hospital", description = "one of the steward's hospitals (default: the first)")
    String hospital;

    @Option(names = "--id-prefix", defaultValue = "", description = "prefix of the stored patient ids, e.g. cxr- (default: none)")
    String idPrefix;

    @Option(names = "--base-date", description = "study time = this date + the offset column in days (default: no study time)")
    LocalDate baseDate;

    @Override
    public Integer call() throws Exception {
        String pw = password != null
                ? password
                : System.getenv().getOrDefault("COVID_RISK_PASSWORD",
                        Tokens.DEMO_PASSWORD);
        String token = Tokens.password(keycloak, user, pw);
        XrayImport.Summary s = XrayImport.run(gateway, token, dir, id -> id.isEmpty() ? null : idPrefix + id,
                hospital, baseDate, line -> System.out.println("[covid-risk] " + line));
        System.out.printf("[covid-risk] X-rays: %d stored, %d already stored, %d refused, %d rows without a patient "
                + "id%n", s.stored(), s.replayed(), s.refused().size(), s.skipped());
        s.refused().entrySet().stream().limit(20).forEach(e -> System.out.println("  line " + e.getKey() + ": "
                + e.getValue()));
        return s.refused().isEmpty() ? 0 : 1;
    }
}
