package org.vitspark.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** README's test command is the line CI runs, so a fresh machine that follows README runs what CI runs. */
class TestCommandTest {

    private static final Path TOP = Path.of(System.getProperty("user.dir")).getParent();

    /** The first line of the bash block that follows "Run the tests" in README. */
    static String readmeTestCommand() throws IOException {
        List<String> lines = Files.readAllLines(TOP.resolve("README.md"));
        int i = 0;
        while (!lines.get(i).startsWith("Run the tests")) {
            i++;
        }
        while (!lines.get(i).equals("```bash")) {
            i++;
        }
        return lines.get(i + 1);
    }

    @Test
    void ciRunsReadmesTestCommandVerbatim() throws IOException {
        String command = readmeTestCommand();
        assertTrue(command.endsWith("mvn -B verify"), command);
        assertTrue(command.contains("dataset-fashion-mnist") && command.contains("chromium"), command);
        List<String> ci = Files.readAllLines(TOP.resolve(".ci/run"));
        assertEquals(1, ci.stream().filter(command::equals).count(), ".ci/run must run README's line: " + command);
    }
}
