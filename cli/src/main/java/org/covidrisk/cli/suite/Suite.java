package org.covidrisk.cli.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The whole suite as real processes on one machine: Keycloak (realm imported from deploy/keycloak), then
 * ingest-, feature-, imaging-, ensemble-service and the gateway, each a separate JVM. {@link #close()} stops
 * everything it started, in reverse order, and nothing is left running.
 */
public final class Suite implements AutoCloseable {

    /** Services in start order (the gateway last: it fronts the others). */
    public static final List<String> SERVICES = List.of("ingest-service", "feature-service", "imaging-service",
            "ensemble-service", "gateway");
    /** Bootstrap admin of the local Keycloak (demo and tests only). */
    public static final String KC_ADMIN = "admin";
    public static final String KC_ADMIN_PASSWORD = "admin";
    /**
     * Secret of the realm's confidential client {@code covid-risk-admin} (the dev value of deploy/keycloak, demo
     * and tests only), passed to the gateway as {@code COVID_KEYCLOAK_ADMIN_SECRET} as production would.
     */
    public static final String KC_ADMIN_CLIENT_SECRET = "covid-admin-dev-secret";

    private final SuiteConfig config;
    private final List<ManagedProcess> processes = new ArrayList<>();

    private Suite(SuiteConfig config) {
        this.config = config;
    }

    public SuiteConfig config() {
        return config;
    }

    public List<ManagedProcess> processes() {
        return List.copyOf(processes);
    }

    /** Starts Keycloak and the five services and waits until each is ready. */
    public static Suite start(SuiteConfig config, Consumer<String> progress) throws IOException, InterruptedException {
        Suite suite = new Suite(config);
        try {
            Files.createDirectories(config.runDir().resolve("logs"));
            suite.startKeycloak(progress);
            for (String s : SERVICES) {
                suite.startService(s, progress);
            }
            for (ManagedProcess p : suite.processes.subList(1, suite.processes.size())) {
                int port = config.port(p.name());
                if (!Http.waitFor200("http://127.0.0.1:" + port + "/q/health/ready", Duration.ofSeconds(120), p)) {
                    throw new IOException(p.name() + " did not become ready; see " + p.log());
                }
                progress.accept(p.name() + " ready on port " + port);
            }
            suite.writePids();
            return suite;
        } catch (IOException | InterruptedException | RuntimeException e) {
            suite.close();
            throw e;
        }
    }

    private void startKeycloak(Consumer<String> progress) throws IOException, InterruptedException {
        Path home = config.keycloakHome();
        Path kc = home.resolve("bin/kc.sh");
        if (!Files.isExecutable(kc)) {
            throw new IOException("Keycloak is not unpacked at " + home + "; run ./mvnw package first");
        }
        Path imports = home.resolve("data/import");
        Files.createDirectories(imports);
        Files.copy(config.root().resolve("deploy/keycloak/covid-risk-realm.json"),
                imports.resolve("covid-risk-realm.json"), StandardCopyOption.REPLACE_EXISTING);
        ProcessBuilder pb = new ProcessBuilder(kc.toString(), "start-dev", "--http-host=127.0.0.1",
                "--http-port=" + config.keycloakPort(), "--http-management-port=" + (config.keycloakPort() + 1000),
                "--db=dev-mem", "--import-realm", "--health-enabled=false");
        pb.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", KC_ADMIN);
        pb.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", KC_ADMIN_PASSWORD);
        pb.environment().put("JAVA_HOME", javaHome());
        ManagedProcess p = launch("keycloak", pb);
        progress.accept("keycloak starting on port " + config.keycloakPort() + " (first start builds itself, ~1 min)");
        String ready = config.keycloakUrl() + "/realms/" + Tokens.REALM + "/.well-known/openid-configuration";
        if (!Http.waitFor200(ready, Duration.ofMinutes(4), p)) {
            throw new IOException("Keycloak did not become ready; see " + p.log());
        }
        progress.accept("keycloak ready, realm " + Tokens.REALM + " imported");
    }

    private void startService(String service, Consumer<String> progress) throws IOException {
        Path jar = config.root().resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IOException(service + " is not built (" + jar + "); run ./mvnw package first");
        }
        List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-Xms64m", "-Xmx768m", "-XX:+UseSerialGC",
                "--enable-native-access=ALL-UNNAMED", "-Dquarkus.http.port=" + config.port(service),
                "-Dcovid.keycloak.url=" + config.keycloakUrl(),
                "-Dcovid.ingest.port=" + config.port("ingest-service"),
                "-Dcovid.feature.port=" + config.port("feature-service"),
                "-Dcovid.imaging.port=" + config.port("imaging-service"),
                "-Dcovid.ensemble.port=" + config.port("ensemble-service")));
        String shortName = service.replace("-service", "");
        if (service.equals("ingest-service") || service.equals("ensemble-service") || service.equals("gateway")) {
            String url = config.databases().get(shortName);
            if (url == null) {
                Path data = config.runDir().resolve("data").resolve(shortName).toAbsolutePath();
                url = "jdbc:h2:file:" + data + ";DB_CLOSE_ON_EXIT=FALSE;MODE=PostgreSQL";
            }
            cmd.add("-Dcovid.db.url=" + url);
            cmd.add("-Dcovid.db.user=" + config.dbUser());
        }
        if (service.equals("ingest-service")) {
            cmd.add("-Dingest.images.dir=" + config.runDir().resolve("data/images").toAbsolutePath());
        }
        Path xrayModel = config.runDir().resolve("imaging-model");
        if (service.equals("imaging-service") && Files.isRegularFile(xrayModel.resolve("provenance.json"))) {
            // the demo trains one on synthetic X-rays before the suite starts (cli xray.DemoXrays)
            cmd.add("-Dimaging.model-dir=" + xrayModel.toAbsolutePath());
        }
        cmd.add("-jar");
        cmd.add(jar.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(config.runDir().toFile());
        if (service.equals("gateway")) {
            pb.environment().put("COVID_KEYCLOAK_ADMIN_SECRET", KC_ADMIN_CLIENT_SECRET);
        }
        launch(service, pb);
        progress.accept(service + " starting on port " + config.port(service));
    }

    private ManagedProcess launch(String name, ProcessBuilder pb) throws IOException {
        Path log = config.runDir().resolve("logs").resolve(name + ".log");
        pb.redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        ManagedProcess p = new ManagedProcess(name, pb.start(), log);
        processes.add(p);
        return p;
    }

    private void writePids() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (ManagedProcess p : processes) {
            sb.append(p.pid()).append(' ').append(p.name()).append('\n');
        }
        Files.writeString(config.runDir().resolve("suite.pids"), sb.toString());
    }

    /** Resident memory of every process of the suite, in kB. */
    public long totalRssKb() {
        return processes.stream().mapToLong(ManagedProcess::rssKb).sum();
    }

    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).stop(20);
        }
        try {
            Files.deleteIfExists(config.runDir().resolve("suite.pids"));
        } catch (IOException e) {
            // nothing left to stop; the stale file is harmless
        }
    }

    /** The java binary running this launcher (Java 21 or later). */
    static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    static String javaHome() {
        String home = System.getProperty("java.home");
        return home == null ? "" : home;
    }
}
