package org.vitspark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the checkout's deploy/ scripts as a user would, with extra environment, output kept in a log file. */
record DeployScripts(Path logDir, Map<String, String> env) {

    static final Path TOP = Path.of(System.getProperty("user.dir")).getParent();

    /** Runs {@code cmd} from the checkout's top; asserts it finishes within the timeout with exit 0; returns its output. */
    String run(int timeoutSeconds, String... cmd) throws IOException, InterruptedException {
        Path log = logDir.resolve("cmd-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(TOP.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String output = Files.readString(log);
        assertTrue(done, String.join(" ", cmd) + " timed out:\n" + output);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + output);
        return output;
    }
}
