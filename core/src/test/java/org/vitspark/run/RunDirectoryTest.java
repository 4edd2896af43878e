package org.vitspark.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitspark.config.ConfigLoader;
import org.vitspark.config.ConfigSources;
import org.vitspark.config.Settings;

/**
 * Issue 19: opening an existing run writes nothing into it until its resume is accepted, and a failed start
 * removes the directory it created when nothing was trained in it.
 */
class RunDirectoryTest {

    @TempDir
    Path dir;

    private Settings settings(String... sets) {
        List<String> all = new java.util.ArrayList<>(List.of("run.root=" + dir, "run.name=r"));
        all.addAll(List.of(sets));
        return ConfigLoader.standard().load(new ConfigSources(null, new Properties(), all)).settings();
    }

    @Test
    void anExistingRunKeepsItsConfigUntilTheResumeIsAccepted() throws IOException {
        RunDirectory first = RunDirectory.createOrResume(settings("run.id=x", "optim.lr=0.001"), new Configuration());
        assertFalse(first.existing());
        Path conf = dir.resolve("r/x/config.conf");
        String before = Files.readString(conf);
        Settings other = settings("run.id=x", "optim.lr=0.5");
        RunDirectory again = RunDirectory.createOrResume(other, new Configuration());
        assertTrue(again.existing());
        assertEquals(before, Files.readString(conf), "a resume that may yet be refused wrote config.conf");
        again.accept(other);
        assertTrue(Files.readString(conf).contains("0.5"));
    }

    @Test
    void aFailedStartRemovesTheDirectoryItCreatedWhenNothingWasTrained() throws IOException {
        RunDirectory fresh = RunDirectory.createOrResume(settings("run.id=empty"), new Configuration());
        Files.createDirectories(dir.resolve("r/empty/tensorboard"));
        assertTrue(fresh.discardIfUnused());
        assertFalse(Files.exists(dir.resolve("r/empty")));

        RunDirectory trained = RunDirectory.createOrResume(settings("run.id=trained"), new Configuration());
        Files.writeString(dir.resolve("r/trained/metrics.jsonl"), "{\"kind\":\"train\"}\n");
        assertFalse(trained.discardIfUnused());
        assertTrue(Files.exists(dir.resolve("r/trained/config.conf")));

        // a run that existed before this process opened it is never removed
        Files.delete(dir.resolve("r/trained/metrics.jsonl"));
        RunDirectory reopened = RunDirectory.createOrResume(settings("run.id=trained"), new Configuration());
        assertFalse(reopened.discardIfUnused());
        assertTrue(Files.exists(dir.resolve("r/trained/config.conf")));
    }

    @Test
    void aCosmeticChangeResumesAndAChangeOfWhatIsTrainedIsRefusedByName() throws IOException {
        RunDirectory first = RunDirectory.createOrResume(settings(), new Configuration());
        // logging cadence, reader threads, Spark master: the same run
        RunDirectory cosmetic = RunDirectory.createOrResume(settings("train.log-every=7", "data.reader-threads=1",
                "spark.master=\"local[1]\""), new Configuration());
        assertEquals(first.path(), cosmetic.path());
        assertTrue(cosmetic.existing());
        // the learning rate: refused, naming the key and the way out
        org.vitspark.runtime.UsageException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.vitspark.runtime.UsageException.class,
                () -> RunDirectory.createOrResume(settings("optim.lr=0.5"), new Configuration()));
        assertTrue(e.getMessage().contains("[optim.lr]") && e.getMessage().contains("run.id=NEW"), e.getMessage());
        // once the run has finished, other settings start a new run beside it
        Files.writeString(first.path().toString().startsWith("file:")
                ? Path.of(java.net.URI.create(first.path().toString())).resolve("summary.json")
                : Path.of(first.path().toString(), "summary.json"), "{}\n");
        RunDirectory next = RunDirectory.createOrResume(settings("optim.lr=0.5"), new Configuration());
        assertFalse(next.path().equals(first.path()));
        assertFalse(next.existing());
    }
}
