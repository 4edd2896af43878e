package org.vitspark.nightly;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vitspark.config.ConfigError;
import org.vitspark.config.ConfigLoader;
import org.vitspark.config.ConfigSources;
import org.vitspark.config.ConfigValidationException;
import org.vitspark.config.VitsparkConfig;
import org.vitspark.digest.Sha256;
import org.vitspark.suite.SuiteJob;
import org.vitspark.suite.SuiteSpec;

/**
 * A night of a suite, resolved before anything runs: every experiment's configuration loaded and checked
 * (its file, the suite's overrides, then the command line's), and the run directory it gets:
 * {@code run.name = nightly-<suite>-<experiment>}, {@code run.id = <date>-<revision>-<first 8 of its config
 * hash>}. The same night, revision and config give the same directory, which is what makes a rerun skip
 * finished experiments and resume an interrupted one; a changed config or revision starts a new one.
 * A named experiment (a script of deploy/experiments) has no config of its own: its directory is named by
 * the hash of its script, and its runs live in that directory (or in its suite entry's {@code runs} folder).
 */
public final class NightlyPlan {

    /**
     * One experiment's resolved run.
     *
     * @param config null for a named experiment (it has none)
     * @param runs   for a named experiment: the local folder its script keeps its runs in; null otherwise
     */
    public record Step(SuiteSpec.Experiment experiment, VitsparkConfig config, String runDir, String configHash,
                       List<String> sets, String runs) {
    }

    private NightlyPlan() {
    }

    /**
     * @param workDir    the project's root: named experiments' scripts and relative {@code runs} folders
     * @param globalSets overrides for every experiment (e.g. run.root on shared storage), after the suite's
     * @throws ConfigValidationException naming the experiment and key, for every experiment at once
     */
    public static List<Step> resolve(SuiteSpec suite, String date, String revision, List<String> globalSets,
                                     Path workDir) {
        List<Step> steps = new ArrayList<>();
        Map<String, String> dirs = new LinkedHashMap<>();
        List<ConfigError> errors = new ArrayList<>();
        for (SuiteSpec.Experiment e : suite.experiments()) {
            String name = "nightly-" + suite.name() + "-" + e.id();
            try {
                Step step = e.job() == SuiteJob.EXPERIMENT
                        ? named(e, name, date, revision, globalSets, workDir)
                        : job(e, name, date, revision, globalSets, dirs);
                steps.add(step);
                dirs.put(e.id(), step.runDir());
            } catch (ConfigValidationException ex) {
                for (ConfigError err : ex.errors()) {
                    errors.add(new ConfigError("experiment " + e.id() + ": " + err.key(), err.message(), err.origin()));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigValidationException(errors);
        }
        return List.copyOf(steps);
    }

    private static Step job(SuiteSpec.Experiment e, String name, String date, String revision,
                            List<String> globalSets, Map<String, String> earlier) {
        List<String> sets = new ArrayList<>();
        e.set().forEach((k, v) -> sets.add(k + "=" + v));
        sets.addAll(globalSets);
        sets.add("run.name=" + name);
        if (e.job() == SuiteJob.TRAIN && e.of() != null) {
            sets.add("model.init=\"" + earlier.get(e.of()) + "\""); // fine-tuning from tonight's pretraining
        }
        String hash = ConfigLoader.standard().load(ConfigSources.of(e.config(), sets)).hash();
        String id = date + "-" + revision + "-" + hash.substring(0, 8);
        List<String> withId = new ArrayList<>(sets);
        withId.add("run.id=" + id);
        VitsparkConfig config = ConfigLoader.standard().load(ConfigSources.of(e.config(), withId));
        String dir = config.settings().run().root() + "/" + name + "/" + id;
        return new Step(e, config, dir, hash, List.copyOf(withId), null);
    }

    private static Step named(SuiteSpec.Experiment e, String name, String date, String revision,
                              List<String> globalSets, Path workDir) {
        // the command line's overrides are checked like any job's; a script only takes run.root from them
        String root = ConfigLoader.standard().load(ConfigSources.of(null, globalSets)).settings().run().root();
        String scheme = new org.apache.hadoop.fs.Path(root).toUri().getScheme();
        if (scheme != null && !scheme.equals("file")) {
            throw new ConfigValidationException(List.of(new ConfigError("run.root", "a named experiment ("
                    + e.script() + ") runs shell steps on local folders; run.root must be local, got " + root, "")));
        }
        Path script = workDir.resolve("deploy/experiments").resolve(e.script());
        String hash;
        try {
            hash = Sha256.hex(Files.readAllBytes(script));
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read " + script, ex);
        }
        String local = scheme == null ? root : new org.apache.hadoop.fs.Path(root).toUri().getPath();
        String dir = workDir.resolve(local).normalize() + "/" + name + "/" + date + "-" + revision + "-"
                + hash.substring(0, 8);
        String runs = e.runs() != null ? workDir.resolve(e.runs()).normalize().toString() : dir + "/runs";
        return new Step(e, null, dir, hash, List.of(), runs);
    }

    /** Each experiment's run directory by id (analyze experiments find the run they analyse here). */
    public static Map<String, String> runDirs(List<Step> steps) {
        Map<String, String> dirs = new LinkedHashMap<>();
        steps.forEach(s -> dirs.put(s.experiment().id(), s.runDir()));
        return dirs;
    }
}
