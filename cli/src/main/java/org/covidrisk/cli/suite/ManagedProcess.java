package org.covidrisk.cli.suite;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A child process of the suite, its log file, and how to stop it with everything it started. */
public final class ManagedProcess {

    private final String name;
    private final Process process;
    private final Path log;

    ManagedProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Resident memory of the process and its descendants, in kB (Linux /proc), 0 when unknown. */
    public long rssKb() {
        long total = Rss.of(process.pid());
        for (ProcessHandle d : process.descendants().toList()) {
            total += Rss.of(d.pid());
        }
        return total;
    }

    /** SIGTERM to the process and its descendants, then SIGKILL after the grace period. */
    public void stop(long graceSeconds) {
        var descendants = process.descendants().toList();
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        for (ProcessHandle d : descendants) {
            if (d.isAlive()) {
                d.destroyForcibly();
            }
        }
    }
}
