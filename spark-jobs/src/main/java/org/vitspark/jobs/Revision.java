package org.vitspark.jobs;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The code revision a nightly run records: git's short hash of the working directory, else "unknown". */
final class Revision {

    private Revision() {
    }

    static String current() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && out.matches("[0-9a-f]{4,40}") ? out
                    : "unknown";
        } catch (java.io.IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
