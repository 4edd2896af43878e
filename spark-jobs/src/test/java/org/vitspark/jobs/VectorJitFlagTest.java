package org.vitspark.jobs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every JVM option string that enables the Vector API also sets the JIT's type profiling that keeps the
 * host kernels' vector code compiled to SIMD (docs/decisions.md D37): the launchers, the submit
 * templates, the schedules, the README's spark-submit example and the test JVMs (pom.xml).
 */
class VectorJitFlagTest {

    static final String FLAG = "-XX:TypeProfileLevel=222";
    private static final Pattern MODULE = Pattern.compile("--add-modules=jdk\\.incubator\\.vector");

    @Test
    void everyOptionStringWithTheVectorModuleSetsTheFlag() throws Exception {
        List<Path> files = new ArrayList<>(List.of(DeployScripts.TOP.resolve("pom.xml"),
                DeployScripts.TOP.resolve("README.md")));
        try (Stream<Path> deploy = Files.walk(DeployScripts.TOP.resolve("deploy"))) {
            deploy.filter(Files::isRegularFile).forEach(files::add);
        }
        List<String> missing = new ArrayList<>();
        int found = 0;
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = MODULE.matcher(lines.get(i));
                while (m.find()) { // every option string puts the flag right after the module
                    found++;
                    if (!lines.get(i).startsWith(" " + FLAG, m.end())) {
                        missing.add(DeployScripts.TOP.relativize(f) + ":" + (i + 1));
                    }
                }
            }
        }
        assertTrue(found >= 9, "option strings found: " + found);
        assertTrue(missing.isEmpty(), "without " + FLAG + ": " + missing);
    }

    @Test
    void theTestJvmRunsWithTheFlag() {
        List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        assertTrue(args.contains(FLAG), args.toString());
        assertFalse(args.stream().anyMatch(a -> a.startsWith("-XX:TypeProfileLevel=") && !a.equals(FLAG)), args.toString());
    }
}
