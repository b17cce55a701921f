package org.covidrisk.ingest.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Every X-ray of the shared set passes the store's checks (skipped with a message when the set is absent). */
class SharedXraysInspectionTest {

    static final Path IMAGES = Path.of("../../shared/data/chestxray/images");

    @Test
    void everySharedXrayIsAcceptedAsTheJpegItIs() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(IMAGES),
                "../shared/data/chestxray is absent: the shared X-rays are not checked");
        ImageInspector inspector = new ImageInspector(20 * 1024 * 1024, 40_000_000);
        List<Path> files;
        try (var s = Files.list(IMAGES)) {
            files = s.sorted().toList();
        }
        Set<String> hashes = new HashSet<>();
        for (Path f : files) {
            ImageFacts facts = inspector.inspect(f);
            assertEquals("image/jpeg", facts.mediaType(), f.getFileName().toString());
            assertEquals(8, facts.bitDepth());
            assertTrue(Math.max(facts.width(), facts.height()) <= 512, "longest side 512 px in the shared set");
            hashes.add(TestImages.sha256(Files.readAllBytes(f)));
        }
        assertEquals(566, files.size());
        // one pair of identical files (patient 364): stored once, the second upload is a replay
        assertEquals(565, hashes.size());
    }
}
