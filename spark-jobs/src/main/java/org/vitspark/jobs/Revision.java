package org.vitspark.jobs;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The code revision a nightly run records: git's short hash of the working directory, with "-dirty" when
 * tracked files differ from it (so a night run from edited code is not filed under the commit), else
 * "unknown".
 */
final class Revision {

    private Revision() {
    }

    static String current() {
        String head = git("rev-parse", "--short", "HEAD");
        if (head == null || !head.matches("[0-9a-f]{4,40}")) {
            return "unknown";
        }
        String status = git("status", "--porcelain", "--untracked-files=no");
        return status == null || status.isEmpty() ? head : head + "-dirty";
    }

    /** The command's trimmed output, or null when git is missing or fails. */
    private static String git(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "git";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
