package org.vitspark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** core's packages form no cycle, and core never reaches for Spark. */
class PackageCyclesTest {

    static final Path MAIN = Path.of("src/main/java");

    @Test
    void corePackagesHaveNoCycle() {
        PackageGraph g = PackageGraph.of(MAIN);
        assertTrue(g.packages().size() > 10, "read the sources: " + g.packages());
        assertEquals(List.of(), g.cycles());
    }

    @Test
    void coreHasNoSparkImports() throws Exception {
        try (var files = java.nio.file.Files.walk(MAIN)) {
            List<String> spark = files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    return java.nio.file.Files.readString(p).contains("org.apache.spark");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).map(Path::toString).toList();
            assertEquals(List.of(), spark);
        }
    }
}
