package org.vitspark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * spark-jobs' packages form no cycle, and none shares a name with a core package (a split package would
 * let the two modules reach each other's package-private parts and blur which module owns a concern).
 */
class PackageCyclesTest {

    @Test
    void sparkJobsPackagesHaveNoCycle() {
        PackageGraph g = PackageGraph.of(Path.of("src/main/java"));
        assertTrue(g.packages().size() > 10, "read the sources: " + g.packages());
        assertEquals(List.of(), g.cycles());
    }

    @Test
    void noPackageIsSplitAcrossModules() {
        Set<String> shared = new TreeSet<>(PackageGraph.of(Path.of("src/main/java")).packages());
        shared.retainAll(PackageGraph.of(Path.of("../core/src/main/java")).packages());
        assertEquals(Set.of(), shared);
    }
}
