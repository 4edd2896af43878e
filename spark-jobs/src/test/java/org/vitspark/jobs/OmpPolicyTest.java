package org.vitspark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The OpenMP wait policy (docs/decisions.md D36) is set by the local launcher from deploy/lib.sh's
 * OMP_POLICY unless the caller sets OMP_WAIT_POLICY, and the test JVMs run with the same value, so that
 * tests and benchmarks run what users run.
 */
class OmpPolicyTest {

    private static String policyFromLib(String callerValue) throws Exception {
        // deploy/vitspark's own line, evaluated after sourcing lib.sh as the launcher does
        String launcher = Files.readString(DeployScripts.TOP.resolve("deploy/vitspark"));
        String export = launcher.lines().filter(l -> l.startsWith("export OMP_WAIT_POLICY=")).findFirst()
                .orElseThrow(() -> new AssertionError("deploy/vitspark exports OMP_WAIT_POLICY"));
        String script = "set -euo pipefail\ntop=.\nsource deploy/lib.sh\n" + export + "\necho \"$OMP_WAIT_POLICY\"\n";
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).directory(DeployScripts.TOP.toFile())
                .redirectErrorStream(true);
        pb.environment().remove("OMP_WAIT_POLICY");
        if (callerValue != null) {
            pb.environment().put("OMP_WAIT_POLICY", callerValue);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        return out;
    }

    @Test
    void theLauncherSetsPassiveUnlessTheCallerChose() throws Exception {
        assertEquals("PASSIVE", policyFromLib(null));
        assertEquals("ACTIVE", policyFromLib("ACTIVE"));
    }

    @Test
    void theTestJvmsRunWithTheLaunchersPolicy() throws Exception {
        String launcher = policyFromLib(null);
        assertEquals(launcher, System.getenv("OMP_WAIT_POLICY"), "surefire's environment (pom.xml)");
        assertTrue(Files.readString(DeployScripts.TOP.resolve("pom.xml"))
                .contains("<OMP_WAIT_POLICY>" + launcher + "</OMP_WAIT_POLICY>"));
    }
}
