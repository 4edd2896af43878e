package org.vitspark.nightly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/experiments/lib.sh's {@code finished_run}, as the experiment scripts call it: under {@code set -euo
 * pipefail}, in a plain assignment. A run name with no runs yet must give nothing and let the script go on
 * (it once ended the script silently there, before its report and gates, when only some of an experiment's
 * runs were present); otherwise it gives the newest run directory that has a summary.json.
 */
class ExperimentsLibTest {

    private static final Path LIB = Path.of("..", "deploy", "experiments", "lib.sh").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private String run(String body) throws Exception {
        String script = "set -euo pipefail\nsource '" + LIB + "'\n" + body + "\necho end\n";
        Process p = new ProcessBuilder("bash", "-c", script).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void aNameWithoutRunsGivesNothingAndTheScriptGoesOn() throws Exception {
        assertEquals("[]\nend\n", run("r=\"$(finished_run ssl-pretrain-5k)\"\necho \"[$r]\""));
        Files.createDirectories(dir.resolve("runs/ssl-pretrain-5k")); // the name's folder, no run in it
        assertEquals("[]\nend\n", run("r=\"$(finished_run ssl-pretrain-5k)\"\necho \"[$r]\""));
    }

    @Test
    void theNewestFinishedRunIsChosen() throws Exception {
        Path name = dir.resolve("runs/ssl-ft-b-s43");
        for (String run : new String[] {"20261201-100000-aaaa", "20261202-080000-bbbb", "20261202-090000-cccc"}) {
            Files.createDirectories(name.resolve(run));
        }
        Files.writeString(name.resolve("20261201-100000-aaaa/summary.json"), "{}");
        Files.writeString(name.resolve("20261202-080000-bbbb/summary.json"), "{}");
        // the newest has no summary: interrupted, so not finished
        assertEquals("[runs/ssl-ft-b-s43/20261202-080000-bbbb]\nend\n",
                run("r=\"$(finished_run ssl-ft-b-s43)\"\necho \"[$r]\""));
        assertEquals("[elsewhere/ssl-ft-b-s43/x]\nend\n", run("mkdir -p elsewhere/ssl-ft-b-s43/x && "
                + "touch elsewhere/ssl-ft-b-s43/x/summary.json\nruns_root=elsewhere\n"
                + "r=\"$(finished_run ssl-ft-b-s43)\"\necho \"[$r]\""));
    }
}
