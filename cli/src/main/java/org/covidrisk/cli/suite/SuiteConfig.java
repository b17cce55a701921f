package org.covidrisk.cli.suite;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where and how the suite runs on one machine.
 *
 * @param root the project checkout (holds the built services and deploy/keycloak)
 * @param runDir logs, pid file and (for the embedded database) data files
 * @param keycloakHome unpacked Keycloak distribution
 * @param keycloakPort Keycloak HTTP port
 * @param gatewayPort gateway HTTP port; ingest, feature, imaging and ensemble take the next four ports after
 *        {@code servicesBasePort}
 * @param servicesBasePort first port of the four backend services
 * @param databases per service (ingest, ensemble, gateway): JDBC URL, or null for the embedded H2 file under runDir
 * @param dbUser database user (PostgreSQL)
 */
public record SuiteConfig(Path root, Path runDir, Path keycloakHome, int keycloakPort, int gatewayPort,
        int servicesBasePort, Map<String, String> databases, String dbUser) {

    /** Keycloak version whose distribution the build unpacks. */
    public static final String KEYCLOAK_VERSION = "26.7.3";

    /** Demo defaults: embedded databases, the ports of the services' application.properties. */
    public static SuiteConfig demo(Path root) {
        Path run = root.resolve(".covid-risk/run");
        return new SuiteConfig(root, run, root.resolve(".covid-risk/keycloak-" + KEYCLOAK_VERSION), 8180, 8080, 8091,
                new LinkedHashMap<>(), "sa");
    }

    public int port(String service) {
        return switch (service) {
            case "gateway" -> gatewayPort;
            case "ingest-service" -> servicesBasePort;
            case "feature-service" -> servicesBasePort + 1;
            case "imaging-service" -> servicesBasePort + 2;
            case "ensemble-service" -> servicesBasePort + 3;
            default -> throw new IllegalArgumentException(service);
        };
    }

    public String gatewayUrl() {
        return "http://127.0.0.1:" + gatewayPort;
    }

    public String keycloakUrl() {
        return "http://127.0.0.1:" + keycloakPort;
    }
}
