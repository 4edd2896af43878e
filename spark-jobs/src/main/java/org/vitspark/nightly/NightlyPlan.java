package org.vitspark.nightly;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vitspark.config.ConfigLoader;
import org.vitspark.config.ConfigSources;
import org.vitspark.config.ConfigValidationException;
import org.vitspark.config.VitsparkConfig;
import org.vitspark.suite.SuiteJob;
import org.vitspark.suite.SuiteSpec;

/**
 * A night of a suite, resolved before anything runs: every experiment's configuration loaded and checked
 * (its file, the suite's overrides, then the command line's), and the run directory it gets:
 * {@code run.name = nightly-<suite>-<experiment>}, {@code run.id = <date>-<revision>-<first 8 of its config
 * hash>}. The same night, revision and config give the same directory, which is what makes a rerun skip
 * finished experiments and resume an interrupted one; a changed config or revision starts a new one.
 */
public final class NightlyPlan {

    /** One experiment's resolved run. {@code config} is null for a named experiment (it has none). */
    public record Step(SuiteSpec.Experiment experiment, VitsparkConfig config, String runName, String runId,
                       String configHash, List<String> sets) {

        /** The run directory: run.root/run.name/run.id. */
        public String runDir() {
            return config == null ? null : config.settings().run().root() + "/" + runName + "/" + runId;
        }
    }

    private NightlyPlan() {
    }

    /**
     * @param globalSets overrides for every experiment (e.g. run.root on shared storage), after the suite's
     * @throws ConfigValidationException naming the experiment and key, for every experiment at once
     */
    public static List<Step> resolve(SuiteSpec suite, String date, String revision, List<String> globalSets) {
        List<Step> steps = new ArrayList<>();
        List<org.vitspark.config.ConfigError> errors = new ArrayList<>();
        for (SuiteSpec.Experiment e : suite.experiments()) {
            if (e.job() == SuiteJob.EXPERIMENT) {
                steps.add(new Step(e, null, "nightly-" + suite.name() + "-" + e.id(), date + "-" + revision, "",
                        List.of()));
                continue;
            }
            List<String> sets = new ArrayList<>();
            e.set().forEach((k, v) -> sets.add(k + "=" + v));
            sets.addAll(globalSets);
            String name = "nightly-" + suite.name() + "-" + e.id();
            sets.add("run.name=" + name);
            try {
                String hash = ConfigLoader.standard().load(ConfigSources.of(e.config(), sets)).hash();
                String id = date + "-" + revision + "-" + hash.substring(0, 8);
                List<String> withId = new ArrayList<>(sets);
                withId.add("run.id=" + id);
                VitsparkConfig config = ConfigLoader.standard().load(ConfigSources.of(e.config(), withId));
                steps.add(new Step(e, config, name, id, hash, List.copyOf(withId)));
            } catch (ConfigValidationException ex) {
                for (org.vitspark.config.ConfigError err : ex.errors()) {
                    errors.add(new org.vitspark.config.ConfigError("experiment " + e.id() + ": " + err.key(),
                            err.message(), err.origin()));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigValidationException(errors);
        }
        return List.copyOf(steps);
    }

    /** Each experiment's run directory by id (analyze experiments find the run they analyse here). */
    public static Map<String, String> runDirs(List<Step> steps) {
        Map<String, String> dirs = new LinkedHashMap<>();
        steps.forEach(s -> dirs.put(s.experiment().id(), s.runDir()));
        return dirs;
    }
}
