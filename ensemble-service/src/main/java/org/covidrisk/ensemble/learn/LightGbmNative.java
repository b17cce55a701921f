package org.covidrisk.ensemble.learn;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.github.metarank.lightgbm4j.LGBMBooster;

/**
 * Loads LightGBM's native library from a directory of this process's own. lightgbm4j extracts its libraries to
 * {@code java.io.tmpdir/lib_lightgbm.so} — one fixed path for every JVM on the machine — so a second process
 * starting (a test run, the CLI next to a running service) rewrites the file that the first one has mapped, and
 * the first dies with SIGBUS inside LightGBM (seen here during a stacking run). Pointing the temporary directory
 * at a fresh private directory while lightgbm4j loads gives each process its own copy.
 */
final class LightGbmNative {

    private static boolean loaded;

    private LightGbmNative() {
    }

    static synchronized void ensureLoaded() {
        if (loaded) {
            return;
        }
        String tmp = System.getProperty("java.io.tmpdir");
        try {
            Path own = Files.createTempDirectory("covid-risk-lightgbm-");
            File dir = own.toFile();
            dir.deleteOnExit();
            for (String lib : new String[]{"lib_lightgbm.so", "lib_lightgbm_swig.so"}) {
                new File(dir, lib).deleteOnExit();
            }
            System.setProperty("java.io.tmpdir", own.toString());
            LGBMBooster.loadNative();
            loaded = true;
        } catch (IOException e) {
            throw new IllegalStateException("cannot load LightGBM: " + e.getMessage(), e);
        } finally {
            System.setProperty("java.io.tmpdir", tmp);
        }
    }

}
