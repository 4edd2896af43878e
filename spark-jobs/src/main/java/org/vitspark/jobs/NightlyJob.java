package org.vitspark.jobs;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.vitspark.config.ConfigError;
import org.vitspark.config.ConfigValidationException;
import org.vitspark.fs.HadoopFiles;
import org.vitspark.metrics.Stopwatch;
import org.vitspark.nightly.HistoryTable;
import org.vitspark.nightly.NightlyPlan;
import org.vitspark.nightly.RunOutputs;
import org.vitspark.nightly.SuiteReport;
import org.vitspark.suite.HistoryRow;
import org.vitspark.suite.SuiteJob;
import org.vitspark.suite.SuiteLoader;
import org.vitspark.suite.SuiteLock;
import org.vitspark.suite.SuiteSpec;
import org.vitspark.suite.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code vitspark nightly SUITE}: one night of a suite (conf/suites/): every experiment's configuration
 * checked first, one run of the suite at a time (a lock on the run root), the experiments in order
 * (finished ones skipped, an interrupted one resumed), then the verdict (bands and the last nights), the
 * history table, the report and verdict.json. Exit 0 when the night passed, 1 on a regression or a failed
 * experiment, 2 on a bad suite file or configuration, 75 when another run of the suite holds the lock.
 */
@Command(name = "nightly", mixinStandardHelpOptions = true,
        description = {"Run one night of a suite of experiments (conf/suites/*.conf): checks every experiment's",
            "configuration first, takes the suite's lock, runs the experiments in order (a finished one is",
            "skipped, an interrupted one resumes), then judges tonight against the bands and the last nights,",
            "appends the history table and writes the suite report and verdict.json."})
public final class NightlyJob implements Callable<Integer> {

    static final int LOCKED = 75;
    /** A lock whose heartbeat (refreshed every minute) is this old belongs to a run that is gone. */
    static final Duration HEARTBEAT_STALE = Duration.ofMinutes(30);

    @Parameters(index = "0", paramLabel = "SUITE", description = "The suite file.")
    Path suiteFile;

    @Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "The night (default: today, UTC).")
    String date;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override for every experiment (repeatable).")
    List<String> sets = new ArrayList<>();

    @Option(names = "--history", paramLabel = "PATH", description = "History table location (default: the suite's).")
    String history;

    @Option(names = "--revision", paramLabel = "REV", description = "The code revision (default: git's short hash).")
    String revision;

    @Option(names = "--project", paramLabel = "DIR", description = {"The project's root: relative config paths and "
        + "deploy/experiments resolve against it (default: the working directory)."})
    Path project;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        Vitspark.exit(Vitspark.execute(new NightlyJob(), args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String night = date == null ? LocalDate.now(ZoneOffset.UTC).toString() : LocalDate.parse(date).toString();
        String rev = revision != null ? revision : Revision.current();
        Path workDir = (project != null ? project : Path.of("")).toAbsolutePath().normalize();
        SuiteSpec suite;
        List<NightlyPlan.Step> steps;
        try {
            suite = new SuiteLoader(workDir).load(suiteFile);
            steps = NightlyPlan.resolve(suite, night, rev, sets, workDir);
        } catch (ConfigValidationException e) {
            err.println("vitspark nightly: " + suiteFile + ": invalid (" + e.errors().size() + " error"
                    + (e.errors().size() == 1 ? "" : "s") + "):");
            for (ConfigError error : e.errors()) {
                err.println("  " + error);
            }
            err.flush();
            return JobCommand.BAD_USAGE;
        }
        String historyPath = history != null ? history : suite.history();
        out.printf("nightly %s, night %s, revision %s: %d experiments; history %s%n", suite.name(), night, rev,
                steps.size(), historyPath);
        out.flush();
        org.apache.hadoop.fs.Path lockFile = new org.apache.hadoop.fs.Path(historyPath + ".locks/" + suite.name() + ".lock");
        FileSystem lockFs = lockFile.getFileSystem(HadoopFiles.configuration(Map.of()));
        SuiteLock lock;
        try {
            lock = SuiteLock.acquire(lockFs, lockFile, HEARTBEAT_STALE);
        } catch (SuiteLock.HeldException e) {
            err.println("vitspark nightly: " + e.getMessage());
            err.flush();
            return LOCKED;
        }
        lock.tookOver().ifPresent(t -> out.println("took over the suite lock from " + t));
        // a step can run for hours (a named experiment): the heartbeat must not wait for the next step, or
        // another host would judge this live run stale after HEARTBEAT_STALE
        java.util.concurrent.ScheduledExecutorService beat = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "vitspark-nightly-heartbeat");
                    t.setDaemon(true);
                    return t;
                });
        beat.scheduleAtFixedRate(() -> {
            try {
                lock.heartbeat();
            } catch (java.io.IOException e) {
                err.println("vitspark nightly: suite lock heartbeat failed (retrying): " + e.getMessage());
            }
        }, 1, 1, java.util.concurrent.TimeUnit.MINUTES);
        try (lock) {
            return night(suite, steps, night, rev, historyPath, workDir, out);
        } finally {
            beat.shutdownNow();
        }
    }

    private int night(SuiteSpec suite, List<NightlyPlan.Step> steps, String night, String rev, String historyPath,
                      Path workDir, PrintWriter out) throws Exception {
        Map<String, String> runDirs = NightlyPlan.runDirs(steps);
        Map<String, Verdict.Outcome> outcomes = new LinkedHashMap<>();
        Stopwatch all = Stopwatch.start();
        int index = 0;
        for (NightlyPlan.Step step : steps) {
            index++;
            SuiteJob job = step.experiment().job();
            String dir = job == SuiteJob.ANALYZE ? runDirs.get(step.experiment().of()) : step.runDir();
            org.apache.hadoop.fs.Path runPath = new org.apache.hadoop.fs.Path(dir);
            FileSystem fs = runPath.getFileSystem(HadoopFiles.configuration(step.config() == null ? Map.of()
                    : step.config().settings().hadoop()));
            String of = step.experiment().of();
            if (of != null && outcomes.get(of).error() != null) { // its input never came: say so, not a confusing error
                out.printf("[%d/%d] %s (%s): not run, %s failed%n", index, steps.size(), step.experiment().id(),
                        job.key(), of);
                outcomes.put(step.experiment().id(), Verdict.Outcome.failed(dir, "not run: it needs " + of
                        + ", which failed"));
                continue;
            }
            if (RunOutputs.finished(fs, job, runPath)) {
                out.printf("[%d/%d] %s (%s): finished earlier tonight, skipped (%s)%n", index, steps.size(),
                        step.experiment().id(), job.key(), dir);
            } else {
                out.printf("[%d/%d] %s (%s): running into %s%n", index, steps.size(), step.experiment().id(),
                        job.key(), dir);
                out.flush();
                Stopwatch clock = Stopwatch.start();
                int code = ExperimentRunner.run(step, runDirs, workDir, out);
                out.printf("[%d/%d] %s: exit %d after %.0f s%n", index, steps.size(), step.experiment().id(), code,
                        clock.seconds());
                if (code != 0 || !RunOutputs.finished(fs, job, runPath)) {
                    outcomes.put(step.experiment().id(), Verdict.Outcome.failed(dir, job.key() + " exited " + code
                            + " without its final output; see its log above"));
                    out.flush();
                    continue;
                }
            }
            outcomes.put(step.experiment().id(), new Verdict.Outcome(dir, step.configHash(),
                    RunOutputs.read(fs, job, runPath), null));
            out.flush();
        }
        // under spark-submit the master is set (spark.master); embedded, the history needs one local core
        SparkSession.Builder builder = SparkSession.builder().appName("vitspark-nightly-history");
        if (System.getProperty("spark.master") == null) {
            builder.master("local[1]").config("spark.ui.enabled", "false");
        }
        try (SparkSession spark = builder.getOrCreate()) {
            List<HistoryRow> earlier = HistoryTable.read(spark, historyPath, suite.name());
            Verdict verdict = Verdict.judge(suite, night, rev, outcomes, earlier);
            HistoryTable.writeNight(spark, historyPath, verdict.rows());
            org.apache.hadoop.fs.Path reportDir = new org.apache.hadoop.fs.Path(historyPath + ".reports/"
                    + suite.name() + "/" + night);
            FileSystem fs = reportDir.getFileSystem(spark.sparkContext().hadoopConfiguration());
            org.apache.hadoop.fs.Path page = SuiteReport.write(verdict, earlier, fs, reportDir);
            verdict.problems().forEach(p -> out.println("problem: " + p));
            out.printf("nightly %s %s: %s in %.0f s; report %s%n", suite.name(), night,
                    verdict.passed() ? "passed" : "FAILED", all.seconds(), page);
            out.flush();
            return verdict.exitCode();
        }
    }
}
