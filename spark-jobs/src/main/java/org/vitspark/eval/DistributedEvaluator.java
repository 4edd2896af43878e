package org.vitspark.eval;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.vitspark.config.VitsparkConfig;
import org.vitspark.fs.HadoopFiles;
import org.vitspark.preprocess.IdxShards;
import org.vitspark.run.RunDirectory;
import org.vitspark.metrics.JsonLine;
import org.vitspark.config.ReaderSettings;
import org.vitspark.shard.ShardManifest;
import org.vitspark.dataset.TrainData;
import org.vitspark.dataset.WorkerData;

/** {@code eval}: a saved run's model.zip on the eval split of the configured shards, distributed; writes eval.json. */
public final class DistributedEvaluator {

    private final VitsparkConfig config;
    private final PrintWriter out;

    public DistributedEvaluator(VitsparkConfig config, PrintWriter out) {
        this.config = config;
        this.out = out;
    }

    public ShardEvaluator.Result evaluate(JavaSparkContext sc, RunDirectory run) throws IOException {
        ComputationGraph net;
        try (var in = run.fs().open(run.file("model.zip"))) {
            net = ModelSerializer.restoreComputationGraph(in, false);
        }
        var spec = ((org.vitspark.network.TransformerLayer) net.getOutputLayer(0)).layerConf().modelSpec();
        int workers = TrainData.workers(config, sc);
        String root = IdxShards.ensure(SparkSession.builder().sparkContext(sc.sc()).getOrCreate(), config, workers, out);
        org.apache.hadoop.fs.Path r = new org.apache.hadoop.fs.Path(root);
        ShardManifest manifest = ShardManifest.read(r.getFileSystem(sc.hadoopConfiguration()), r);
        String split = config.getString("data.eval-split");
        ReaderSettings settings = TrainData.readerSettings(config, spec, split, false);
        Map<String, String> hadoop = TrainData.hadoopProperties(sc);
        WorkerData data = new WorkerData(manifest, settings, hadoop, workers, run.path() + "#eval");
        sc.setJobDescription("evaluate " + run + " on " + manifest.images(split) + " " + split + " images");
        ShardEvaluator.Result res = ShardEvaluator.evaluate(sc, net, data, manifest.classes());
        HadoopFiles.writeString(run.fs(), run.file("eval.json"), new JsonLine().put("split", split)
                .put("images", res.images()).put("loss", res.loss()).put("top1", res.top1()).put("top5", res.top5())
                .toString() + "\n");
        return res;
    }
}
