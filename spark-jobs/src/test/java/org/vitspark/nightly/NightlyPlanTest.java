package org.vitspark.nightly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vitspark.config.ConfigValidationException;
import org.vitspark.suite.SuiteJob;
import org.vitspark.suite.SuiteLoader;
import org.vitspark.suite.SuiteSpec;

/** The project's own suites resolve (every config valid) to the run directories the nightly job uses. */
class NightlyPlanTest {

    private static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();

    private static SuiteSpec suite(String name) {
        return new SuiteLoader(PROJECT).load(PROJECT.resolve("conf/suites/" + name));
    }

    @Test
    void theSmokeSuiteResolvesToOneDirectoryPerExperimentNamedBySuiteDateRevisionAndConfigHash() {
        List<NightlyPlan.Step> steps = NightlyPlan.resolve(suite("smoke.conf"), "2026-12-01", "abc1234",
                List.of("run.root=/data/runs"), PROJECT);
        assertEquals(7, steps.size());
        for (NightlyPlan.Step s : steps) {
            assertTrue(s.runDir().matches("/data/runs/nightly-smoke-" + s.experiment().id()
                    + "/2026-12-01-abc1234-[0-9a-f]{8}"), s.runDir());
            assertTrue(s.runDir().endsWith(s.configHash().substring(0, 8)), s.runDir());
            assertNull(s.runs());
        }
        NightlyPlan.Step finetune = steps.get(4);
        assertEquals("finetune", finetune.experiment().id());
        assertTrue(finetune.sets().contains("model.init=\"" + steps.get(3).runDir() + "\""), finetune.sets().toString());
        // the same night, revision and config give the same directory; another revision a new one
        assertEquals(steps.get(0).runDir(), NightlyPlan.resolve(suite("smoke.conf"), "2026-12-01", "abc1234",
                List.of("run.root=/data/runs"), PROJECT).get(0).runDir());
        assertTrue(NightlyPlan.resolve(suite("smoke.conf"), "2026-12-01", "def5678", List.of("run.root=/data/runs"),
                PROJECT).get(0).runDir().contains("-def5678-"));
    }

    @Test
    void theReproductionSuiteRunsTheFourExperimentScriptsOnTheProjectsRuns() {
        List<NightlyPlan.Step> steps = NightlyPlan.resolve(suite("reproduce.conf"), "2026-12-01", "abc1234",
                List.of(), PROJECT);
        assertEquals(List.of("sam-regime", "patch-diversification", "small-data-ssl", "vitas"),
                steps.stream().map(s -> s.experiment().script()).toList());
        for (NightlyPlan.Step s : steps) {
            assertEquals(SuiteJob.EXPERIMENT, s.experiment().job());
            assertEquals(PROJECT.resolve("runs").toString(), s.runs());
            assertTrue(s.runDir().startsWith(PROJECT.resolve("runs/nightly-reproduce-").toString()), s.runDir());
            assertTrue(s.experiment().bands().stream().anyMatch(b -> b.claim() != null), s.experiment().id());
        }
    }

    @Test
    void aNamedExperimentNeedsALocalRunRootAndBadOverridesAreNamed() {
        ConfigValidationException remote = assertThrows(ConfigValidationException.class, () -> NightlyPlan.resolve(
                suite("reproduce.conf"), "2026-12-01", "abc1234", List.of("run.root=\"hdfs://nn/runs\""), PROJECT));
        assertTrue(remote.errors().get(0).key().equals("experiment sam: run.root")
                && remote.errors().get(0).message().contains("must be local"), remote.getMessage());
        ConfigValidationException bad = assertThrows(ConfigValidationException.class, () -> NightlyPlan.resolve(
                suite("smoke.conf"), "2026-12-01", "abc1234", List.of("train.epochs=0"), PROJECT));
        assertTrue(bad.errors().stream().anyMatch(e -> e.key().equals("experiment sam: train.epochs")),
                bad.getMessage());
    }
}
