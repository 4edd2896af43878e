package org.vitspark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.vitspark.runtime.MallocTuning;

/**
 * glibc's allocator settings (docs/decisions.md D35) are written in several places a deployment reads:
 * the launchers' lib.sh, the spark-defaults template, the scheduled application and the test JVMs. They
 * must stay one value. (That deploy/vitspark and deploy/submit hand it to the JVMs when the caller's
 * environment has none is shown by StandaloneClusterIT, whose cluster runs with it empty.)
 */
class MallocSettingsTest {

    private static final Path TOP = DeployScripts.TOP;

    @Test
    void everyCopyOfTheSettingIsTheOneTheWorkersCheck() throws Exception {
        String lib = Files.readString(TOP.resolve("deploy/lib.sh"));
        Matcher m = Pattern.compile("(?m)^MALLOC_TUNABLES=\"([^\"]+)\"$").matcher(lib);
        assertTrue(m.find(), "deploy/lib.sh sets MALLOC_TUNABLES");
        assertEquals(MallocTuning.RECOMMENDED, m.group(1));
        List<String> defaults = Files.readAllLines(TOP.resolve("deploy/spark-defaults.conf")).stream()
                .filter(l -> l.startsWith("spark.") && l.contains("GLIBC_TUNABLES")).toList();
        assertEquals(3, defaults.size(), "executors, YARN's application master, the Kubernetes driver: " + defaults);
        for (String l : defaults) {
            assertEquals(MallocTuning.RECOMMENDED, l.split("\\s+")[1], l);
        }
        String yaml = Files.readString(TOP.resolve("deploy/schedule/vitspark-nightly.yaml"));
        assertEquals(2, yaml.split("value: \"" + Pattern.quote(MallocTuning.RECOMMENDED) + "\"", -1).length - 1,
                "driver and executor pods");
        assertTrue(Files.readString(TOP.resolve("pom.xml"))
                .contains("<GLIBC_TUNABLES>" + MallocTuning.RECOMMENDED + "</GLIBC_TUNABLES>"), "the test JVMs");
    }
}
