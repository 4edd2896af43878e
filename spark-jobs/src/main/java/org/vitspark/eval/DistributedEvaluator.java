package org.vitspark.eval;

import java.io.IOException;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.vitspark.config.Settings;
import org.vitspark.dataset.DataOpener;
import org.vitspark.dataset.WorkerData;
import org.vitspark.fs.HadoopFiles;
import org.vitspark.metrics.JsonLine;
import org.vitspark.network.FlatLayerConf;
import org.vitspark.run.RunDirectory;

/** {@code eval}: a saved run's model.zip on the eval split of the configured shards, distributed; writes eval.json. */
public final class DistributedEvaluator {

    private final Settings settings;

    public DistributedEvaluator(Settings settings) {
        this.settings = settings;
    }

    public ShardEvaluator.Result evaluate(JavaSparkContext sc, RunDirectory run) throws IOException {
        return evaluate(sc, run, null);
    }

    /**
     * As above; with {@code checkpoint} (a directory under RUN_DIR/checkpoints) that checkpoint's parameters in
     * the network the settings (the run's own configuration) build, instead of model.zip.
     */
    public ShardEvaluator.Result evaluate(JavaSparkContext sc, RunDirectory run, String checkpoint) throws IOException {
        ComputationGraph net;
        if (checkpoint != null) {
            net = org.vitspark.train.TrainSetup.from(settings, 1).network();
            net.setParams(new org.vitspark.checkpoint.CheckpointStore(run.fs(), run.file("checkpoints"), 1,
                    new java.io.PrintWriter(java.io.Writer.nullWriter())).loadNamed(checkpoint).params());
        } else {
            try (var in = run.fs().open(run.file("model.zip"))) {
                net = ModelSerializer.restoreComputationGraph(in, false);
            }
        }
        var spec = ((FlatLayerConf) net.getOutputLayer(0).conf().getLayer()).modelSpec();
        DataOpener.Opened opened = DataOpener.open(sc, settings);
        String split = settings.data().evalSplit();
        WorkerData data = opened.split(settings.reader(spec, split, false), run.path() + "#eval");
        sc.setJobDescription("evaluate " + run + " on " + opened.manifest().images(split) + " " + split + " images");
        ShardEvaluator.Result res = ShardEvaluator.evaluate(sc, net, data, opened.manifest().classes());
        HadoopFiles.writeString(run.fs(), run.file("eval.json"), new JsonLine().put("split", split)
                .put("images", res.images()).put("loss", res.loss()).put("top1", res.top1()).put("top5", res.top5())
                .toString() + "\n");
        return res;
    }
}
