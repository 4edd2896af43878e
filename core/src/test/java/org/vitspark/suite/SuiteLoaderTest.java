package org.vitspark.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitspark.config.ConfigError;
import org.vitspark.config.ConfigValidationException;

class SuiteLoaderTest {

    @TempDir
    Path root;

    private Path suite(String text) throws IOException {
        Files.createDirectories(root.resolve("conf/suites"));
        Files.createDirectories(root.resolve("deploy/experiments"));
        Files.writeString(root.resolve("conf/train.conf"), "run.name = t\n");
        Files.writeString(root.resolve("deploy/experiments/vitas"), "#!/bin/sh\n");
        Path f = root.resolve("conf/suites/s.conf");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void readsExperimentsInOrderWithOverridesAndBands() throws IOException {
        SuiteSpec s = new SuiteLoader(root).load(suite("""
                suite {
                  name = smoke
                  experiments = [
                    { id = tiny, job = train, config = conf/train.conf,
                      set { train.epochs = 1, "optim.sam.mode" = sam },
                      bands { test_top1 { min = 0.7 }, wall_s { max = 600 } } }
                    { id = hessian, job = analyze, config = conf/train.conf, of = tiny,
                      bands { lambda_max { min = 0, max = 1e4 } } }
                    { id = search, job = experiment, script = vitas, runs = runs,
                      bands { claim_met { min = 1, claim = "the found net beats the baseline", paper = "+2.5 pt" } } }
                    { id = ssl, job = pretrain, config = conf/train.conf }
                    { id = finetune, job = train, config = conf/train.conf, of = ssl }
                  ]
                }
                """));
        assertEquals("smoke", s.name());
        assertEquals(SuiteLoader.DEFAULT_HISTORY, s.history());
        assertEquals(SuiteLoader.DEFAULT_LOOKBACK, s.lookback());
        assertEquals(List.of("tiny", "hessian", "search", "ssl", "finetune"), s.experiments().stream().map(SuiteSpec.Experiment::id).toList());
        SuiteSpec.Experiment tiny = s.experiments().get(0);
        assertEquals(SuiteJob.TRAIN, tiny.job());
        assertEquals(root.resolve("conf/train.conf"), tiny.config());
        assertEquals(Map.of("train.epochs", "1", "optim.sam.mode", "sam"), tiny.set());
        assertEquals(List.of(new Band("test_top1", 0.7, null), new Band("wall_s", null, 600.0)), tiny.bands()); // by name
        assertTrue(tiny.bands().get(0).contains(0.7) && !tiny.bands().get(0).contains(0.69)
                && !tiny.bands().get(0).contains(Double.NaN));
        assertEquals("tiny", s.experiments().get(1).of());
        assertEquals("vitas", s.experiments().get(2).script());
        assertEquals("runs", s.experiments().get(2).runs());
        assertEquals(List.of(new Band("claim_met", 1.0, null, "the found net beats the baseline", "+2.5 pt")),
                s.experiments().get(2).bands());
        assertEquals("ssl", s.experiments().get(4).of());
    }

    @Test
    void reportsEveryProblemWithItsKeyBeforeAnythingRuns() throws IOException {
        ConfigValidationException e = assertThrows(ConfigValidationException.class, () -> new SuiteLoader(root).load(
                suite("""
                        suite {
                          name = Smoke
                          lookback = 0
                          experimnts = []
                          experiments = [
                            { id = a, job = trian, config = conf/train.conf }
                            { id = b, job = train, config = conf/missing.conf, bandz {} }
                            { id = c, job = train, config = conf/train.conf,
                              bands { test_top1 { min = 0.9, max = 0.8 }, test_top01 { min = 1 }, wall_s { mni = 3 } } }
                            { id = c, job = analyze, config = conf/train.conf, of = a }
                            { id = d, job = train, config = conf/train.conf, script = vitas }
                            { id = e, job = experiment, script = nope }
                            { id = f, job = train, config = conf/train.conf, of = c, runs = elsewhere,
                              bands { test_top1 { min = 0.5, paper = "79.9" } } }
                          ]
                        }
                        """)));
        Map<String, String> byKey = new java.util.TreeMap<>();
        for (ConfigError err : e.errors()) {
            byKey.put(err.key(), err.message());
            assertTrue(err.origin().endsWith(".conf") || err.origin().matches(".*\\.conf:\\d+"), err.toString());
        }
        assertTrue(byKey.get("suite.name").contains("lower-case"), byKey.toString());
        assertTrue(byKey.get("suite.lookback").contains("1..365"), byKey.toString());
        assertTrue(byKey.get("suite.experimnts").contains("did you mean experiments?"), byKey.toString());
        assertTrue(byKey.get("suite.experiments[0].job").contains("did you mean train?"), byKey.toString());
        assertTrue(byKey.get("suite.experiments[1].config").contains("conf/missing.conf"), byKey.toString());
        assertTrue(byKey.get("suite.experiments[1].bandz").contains("did you mean bands?"), byKey.toString());
        assertTrue(byKey.get("suite.experiments[2].bands.test_top1").contains("above max"), byKey.toString());
        assertTrue(byKey.get("suite.experiments[2].bands.test_top01").contains("did you mean test_top1?"), byKey.toString());
        assertTrue(byKey.get("suite.experiments[2].bands.wall_s.mni").contains("did you mean min?"), byKey.toString());
        assertTrue(byKey.get("suite.experiments[3].id").contains("duplicate"), byKey.toString());
        // "a" failed, so it is not an earlier train experiment
        assertTrue(byKey.get("suite.experiments[3].of").contains("earlier train experiment"), byKey.toString());
        assertTrue(byKey.get("suite.experiments[4].script").contains("only a job = experiment"), byKey.toString());
        assertTrue(byKey.get("suite.experiments[5].script").contains("deploy/experiments/nope"), byKey.toString());
        assertTrue(byKey.get("suite.experiments[6].of").contains("earlier pretrain experiment"), byKey.toString());
        assertTrue(byKey.get("suite.experiments[6].runs").contains("only a job = experiment"), byKey.toString());
        assertTrue(byKey.get("suite.experiments[6].bands.test_top1.paper").contains("add claim"), byKey.toString());
        assertTrue(e.getMessage().startsWith(e.errors().size() + " configuration error(s)"), e.getMessage());
    }

    @Test
    void aMissingFileOrSuiteObjectIsOneClearError() throws IOException {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> new SuiteLoader(root).load(root.resolve("conf/suites/none.conf")));
        assertTrue(missing.getMessage().contains("none.conf"), missing.getMessage());
        ConfigValidationException noSuite = assertThrows(ConfigValidationException.class,
                () -> new SuiteLoader(root).load(suite("experiments = []\n")));
        assertEquals(List.of("experiments", "suite"), noSuite.errors().stream().map(ConfigError::key).toList());
        assertFalse(noSuite.errors().get(1).message().isEmpty());
    }
}
