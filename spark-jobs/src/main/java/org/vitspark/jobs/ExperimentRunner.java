package org.vitspark.jobs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.vitspark.nightly.NightlyPlan;
import org.vitspark.suite.SuiteJob;

/**
 * Runs one planned experiment in this JVM through the same job command a user runs, one after another
 * (each job starts and stops its own Spark context). A job that finds its run directory unfinished resumes
 * it from its checkpoints; the runner never deletes anything. A named experiment runs its script of
 * deploy/experiments as a child process (its steps are shell), with its output folder as the argument and
 * {@code VITSPARK_RUNS} naming where its runs live; its lines are passed on prefixed with its id.
 */
final class ExperimentRunner {

    private ExperimentRunner() {
    }

    /** The job's arguments: its inputs, then --config and the plan's overrides. */
    static List<String> args(NightlyPlan.Step step, Map<String, String> runDirs) {
        List<String> args = new ArrayList<>();
        SuiteJob job = step.experiment().job();
        if (job == SuiteJob.ANALYZE) {
            args.add(runDirs.get(step.experiment().of()));
        }
        if (job == SuiteJob.SEARCH_EVOLVE) {
            args.add("--output");
            args.add(step.runDir());
        }
        if (job == SuiteJob.ANALYZE) {
            // the analysed run's own config.conf (its data, its model), with the suite's analyze.* overrides
            for (String s : step.sets()) {
                if (s.startsWith("analyze.")) {
                    args.add("--set");
                    args.add(s);
                }
            }
            return args;
        }
        args.add("--config");
        args.add(step.experiment().config().toString());
        for (String s : step.sets()) {
            args.add("--set");
            args.add(s);
        }
        if (job == SuiteJob.SEARCH_EVOLVE) {
            args.add("--set");
            args.add("search.supernet=" + runDirs.get(step.experiment().of()));
        }
        return args;
    }

    /** Runs the step; returns the job's exit code (0 ok, 1 failed, 2 bad configuration). */
    public static int run(NightlyPlan.Step step, Map<String, String> runDirs, Path workDir, PrintWriter out)
            throws IOException, InterruptedException {
        if (step.experiment().job() == SuiteJob.EXPERIMENT) {
            return script(step, workDir, out);
        }
        String[] a = args(step, runDirs).toArray(String[]::new);
        return switch (step.experiment().job()) {
            case TRAIN -> Vitspark.execute(new TrainJob(), a);
            case PRETRAIN -> Vitspark.execute(new PretrainJob(), a);
            case SEARCH_SUPERNET -> Vitspark.execute(new SearchSupernetJob(), a);
            case SEARCH_EVOLVE -> Vitspark.execute(new SearchEvolveJob(), a);
            case ANALYZE -> Vitspark.execute(new AnalyzeJob(), a);
            case EXPERIMENT -> throw new IllegalStateException("unreachable: named experiments ran above");
        };
    }

    private static int script(NightlyPlan.Step step, Path workDir, PrintWriter out)
            throws IOException, InterruptedException {
        Path script = workDir.resolve("deploy/experiments").resolve(step.experiment().script());
        ProcessBuilder pb = new ProcessBuilder(script.toString(), step.runDir()).directory(workDir.toFile())
                .redirectErrorStream(true);
        pb.environment().put("VITSPARK_RUNS", step.runs());
        Process p = pb.start();
        // a stopped nightly (SIGTERM from cron, Airflow or the operator) stops its script and the jobs under it
        Thread stop = new Thread(() -> {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        });
        Runtime.getRuntime().addShutdownHook(stop);
        p.getOutputStream().close();
        String prefix = "  " + step.experiment().id() + " | ";
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                out.println(prefix + line);
                out.flush();
            }
        } finally {
            if (p.isAlive()) { // the reader failed or this thread was interrupted: do not leave it running
                stop.run();
            }
            Runtime.getRuntime().removeShutdownHook(stop);
        }
        return p.waitFor();
    }
}
