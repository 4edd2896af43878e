package org.vitspark.eval;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vitspark.data.shard.DataPosition;
import org.vitspark.dataset.WorkerData;
import org.vitspark.network.DinoLayer;
import org.vitspark.shard.ShardBatch;
import org.vitspark.shard.ShardReader;
import org.vitspark.spark.GpuBinding;
import org.vitspark.spark.WorkerThreads;

/**
 * Distributed feature extraction for the k-NN health metric: each task reads its share of a split
 * (evaluation pipeline, every image once) and returns, per image, the DINO teacher's backbone features
 * (class token after the final LayerNorm) or the raw normalised pixels, with the label. An image-count
 * limit keeps the first N images of an idx-made split (keys {@code split/NNNNNN}): the labelled set of
 * the small-data experiment.
 */
public final class FeatureExtractor {

    /** What is extracted per image. */
    public enum Kind { TEACHER, PIXELS }

    /** Features [N, D] and labels, in no particular order. */
    public record Features(INDArray features, int[] labels) {
    }

    /** One task's features: a plain class, since Spark's Kryo cannot serialise records (task results). */
    static final class Part implements Serializable {
        private static final long serialVersionUID = 1L;
        float[] features;
        int[] labels;
        int dim;

        Part() {
        }

        Part(float[] features, int[] labels, int dim) {
            this.features = features;
            this.labels = labels;
            this.dim = dim;
        }
    }

    private FeatureExtractor() {
    }

    /** @param limit keep images whose idx index is below it; 0 = all */
    public static Features extract(JavaSparkContext sc, ComputationGraph net, WorkerData data, Kind kind, int limit) {
        Broadcast<NetBroadcastTuple> bc = sc.broadcast(new NetBroadcastTuple(net.getConfiguration(),
                net.params().dup(), null));
        try {
            List<Integer> tasks = new ArrayList<>();
            for (int i = 0; i < data.workers; i++) {
                tasks.add(i);
            }
            List<Part> parts = sc.parallelize(tasks, tasks.size())
                    .map(task -> part(bc.value(), data, task, kind, limit)).collect();
            int n = parts.stream().mapToInt(p -> p.labels.length).sum();
            int dim = parts.stream().mapToInt(p -> p.dim).max().orElse(0);
            float[] all = new float[n * dim];
            int[] labels = new int[n];
            int at = 0;
            for (Part p : parts) {
                System.arraycopy(p.features, 0, all, at * dim, p.features.length);
                System.arraycopy(p.labels, 0, labels, at, p.labels.length);
                at += p.labels.length;
            }
            return new Features(Nd4j.create(all, new long[] {n, dim}, 'c'), labels);
        } finally {
            bc.destroy(false);
        }
    }

    private static Part part(NetBroadcastTuple t, WorkerData data, int task, Kind kind, int limit) {
        GpuBinding.bind();
        WorkerThreads.apply();
        ComputationGraph net = new ComputationGraph(t.getGraphConfiguration().clone());
        net.init(t.getParameters().dup(), false);
        DinoLayer layer = (DinoLayer) net.getOutputLayer(0);
        List<float[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int dim = 0;
        if (!data.settingsFor(task).shards().isEmpty()) {
            try (ShardReader reader = data.open(task)) {
                Iterator<ShardBatch> it = reader.epoch(DataPosition.start(0));
                while (it.hasNext()) {
                    ShardBatch b = it.next();
                    INDArray x = b.data().getFeatures();
                    INDArray f = kind == Kind.TEACHER ? layer.teacherFeatures(x) : x.reshape(x.size(0), -1);
                    float[][] m = f.castTo(DataType.FLOAT).toFloatMatrix();
                    INDArray y = Nd4j.argMax(b.data().getLabels(), 1);
                    for (int i = 0; i < m.length; i++) {
                        if (limit > 0 && index(b.keys().get(i)) >= limit) {
                            continue;
                        }
                        rows.add(m[i]);
                        labels.add(y.getInt(i));
                        dim = m[i].length;
                    }
                }
            }
        }
        float[] flat = new float[rows.size() * dim];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, flat, i * dim, dim);
        }
        return new Part(flat, labels.stream().mapToInt(Integer::intValue).toArray(), dim);
    }

    /** The image index of an idx-made key ("train/000123" → 123). */
    static int index(String key) {
        int slash = key.lastIndexOf('/');
        try {
            return Integer.parseInt(key.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ssl.knn.bank-limit needs shards made from idx files (keys like "
                    + "train/000123), got key " + key);
        }
    }
}
