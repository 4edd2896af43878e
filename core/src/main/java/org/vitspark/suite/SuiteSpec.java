package org.vitspark.suite;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A nightly suite: experiments run in order, each a job with its config file and overrides, and the bands
 * its metrics are expected in. Read and checked by {@link SuiteLoader}.
 *
 * @param history  where the history table lives (any Hadoop filesystem URI or a local path)
 * @param lookback how many earlier nights the regression check compares tonight with
 */
public record SuiteSpec(String name, String description, String history, int lookback, List<Experiment> experiments) {

    /**
     * One entry of the suite.
     *
     * @param config the job's config file, resolved against the loader's working directory (the project's
     *               root, as {@code --config} is); null for a named experiment
     * @param script the named experiment under deploy/experiments (only for {@link SuiteJob#EXPERIMENT})
     * @param runs   for a named experiment: where its runs live (a local folder whose finished runs it reuses);
     *               null = inside the night's run directory, so every night trains afresh
     * @param of     for {@code analyze}: the earlier train experiment whose run it analyses; for
     *               {@code search-evolve}: the earlier search-supernet experiment whose supernet it searches;
     *               for {@code train} (optional): the earlier pretrain experiment whose teacher it fine-tunes
     * @param set    config overrides, applied like {@code --set key=value}
     */
    public record Experiment(String id, SuiteJob job, Path config, String script, String runs, String of,
                             Map<String, String> set, List<Band> bands) {
    }
}
