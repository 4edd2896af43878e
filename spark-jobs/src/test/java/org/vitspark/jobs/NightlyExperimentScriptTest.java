package org.vitspark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A named experiment (a script of deploy/experiments) in a night: run as a child process with its output
 * folder and VITSPARK_RUNS, its lines passed on, its gates.json read as its metrics and its claims listed;
 * a script that fails fails its experiment and the night, and a later experiment still runs.
 */
class NightlyExperimentScriptTest {

    @TempDir
    Path project;

    @Test
    void aScriptsGatesBecomeItsMetricsAndItsFailureFailsTheNight() throws Exception {
        Path scripts = Files.createDirectories(project.resolve("deploy/experiments"));
        // the experiment's interface: OUTPUT_DIR as $1, its runs under $VITSPARK_RUNS, gates.json at the end
        write(scripts.resolve("claim"), """
                #!/usr/bin/env bash
                set -euo pipefail
                mkdir -p "$VITSPARK_RUNS" "$1"
                echo "runs in $VITSPARK_RUNS, output in $1"
                echo '{"gain_pt": 2.5, "seeds": 2}' > "$1/gates.json"
                """);
        write(scripts.resolve("broken"), "#!/usr/bin/env bash\necho 'step 1 of 2'\nexit 3\n");
        Path suite = project.resolve("suite.conf");
        Files.writeString(suite, """
                suite {
                  name = claims
                  experiments = [
                    { id = broken, job = experiment, script = broken }
                    { id = claim, job = experiment, script = claim,
                      bands { gain_pt { min = 2.0, claim = "pretraining beats scratch", paper = "+5.3 pt" },
                              seeds { min = 2 } } }
                  ]
                }
                """);
        String history = project.resolve("history").toString();
        CommandLine cli = new CommandLine(new NightlyJob());
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        int exit = cli.execute(suite.toString(), "--project", project.toString(), "--date", "2026-12-01",
                "--revision", "r1", "--history", history, "--set", "run.root=\"" + project.resolve("runs") + "\"");
        String log = out.toString();
        assertEquals(1, exit, log);
        Path night;
        try (var dirs = Files.list(project.resolve("runs/nightly-claims-claim"))) {
            night = dirs.findFirst().orElseThrow();
        }
        assertTrue(night.getFileName().toString().matches("2026-12-01-r1-[0-9a-f]{8}"), night.toString());
        assertTrue(log.contains("  claim | runs in " + night.resolve("runs") + ", output in " + night), log);
        assertTrue(log.contains("  broken | step 1 of 2") && log.contains("[1/2] broken: exit 3"), log);
        JsonNode verdict = new ObjectMapper().readTree(Path.of(history + ".reports/claims/2026-12-01/verdict.json")
                .toFile());
        assertEquals("failed", verdict.get("experiments").get(0).get("status").asText());
        JsonNode claim = verdict.get("experiments").get(1);
        assertEquals("ok", claim.get("status").asText(), claim.toString());
        assertEquals(2.5, claim.get("metrics").get(0).get("value").asDouble(), claim.toString());
        assertEquals("pretraining beats scratch", claim.get("metrics").get(0).get("claim").asText());
        String page = Files.readString(Path.of(history + ".reports/claims/2026-12-01/index.html"));
        assertTrue(page.contains("<td>pretraining beats scratch</td><td>+5.3 pt</td><td>gain_pt = 2.50000</td>"), page);
    }

    private static void write(Path script, String text) throws java.io.IOException {
        Files.writeString(script, text);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
