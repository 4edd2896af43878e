package org.vitspark.averaging;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;
import org.vitspark.config.VitsparkConfig;
import org.vitspark.data.IdxBatches;
import org.vitspark.data.IdxImages;
import org.vitspark.io.HadoopFiles;
import org.vitspark.io.RunDirectory;
import org.vitspark.metrics.JsonLine;

/** Distributed evaluation of a saved model: top-1/top-5 and mean loss over the test split. */
public final class DistributedEvaluator {

    public record Result(int images, double loss, double top1, double top5) {
    }

    private final VitsparkConfig config;

    public DistributedEvaluator(VitsparkConfig config) {
        this.config = config;
    }

    public Result evaluate(JavaSparkContext sc, RunDirectory run, Path data) throws IOException {
        ComputationGraph net;
        try (var in = run.fs().open(run.file("model.zip"))) {
            net = ModelSerializer.restoreComputationGraph(in, false);
        }
        int classes = (int) net.getOutputLayer(0).getParam("head.bias").length();
        int batch = config.getInt("train.batch-per-worker");
        IdxImages test = IdxImages.read(data, "t10k", config.getInt("data.test-limit"));
        JavaRDD<DataSet> rdd = sc.parallelize(IdxBatches.minibatches(test, classes, batch), sc.defaultParallelism());
        SparkComputationGraph sparkNet = new SparkComputationGraph(sc, net,
                new ParameterAveragingTrainingMaster.Builder(batch).batchSizePerWorker(batch).build());
        sc.setJobDescription("evaluate " + run + " on " + test.size() + " test images");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < classes; i++) {
            names.add(Integer.toString(i));
        }
        Evaluation eval = sparkNet.doEvaluation(rdd, batch, new Evaluation(names, 5))[0];
        sc.setJobDescription("test loss of " + run);
        double loss = sparkNet.calculateScore(rdd, true, batch);
        Result r = new Result(test.size(), loss, eval.accuracy(), eval.topNAccuracy());
        HadoopFiles.writeString(run.fs(), run.file("eval.json"), new JsonLine().put("images", r.images())
                .put("loss", r.loss()).put("top1", r.top1()).put("top5", r.top5()).toString() + "\n");
        return r;
    }
}
