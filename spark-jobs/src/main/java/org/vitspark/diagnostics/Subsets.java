package org.vitspark.diagnostics;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.vitspark.analysis.LabelledImages;
import org.vitspark.dataset.WorkerData;
import org.vitspark.data.shard.DataPosition;
import org.vitspark.shard.ShardBatch;
import org.vitspark.shard.ShardReader;

/**
 * The fixed image subset a diagnostic evaluates repeatedly, spread over the workers and cached on the
 * executors (Spark recomputes a lost part from the shards): worker w holds the first ⌈N/W⌉ images of its
 * share of the split's shards, read with the evaluation pipeline in manifest order. The subset is thus
 * fixed by the data, N and the worker count.
 */
public final class Subsets {

    private Subsets() {
    }

    public static JavaRDD<LabelledImages> load(JavaSparkContext sc, WorkerData data, int images) {
        int per = (images + data.workers - 1) / data.workers;
        List<Integer> tasks = new ArrayList<>();
        for (int i = 0; i < data.workers; i++) {
            tasks.add(i);
        }
        return sc.parallelize(tasks, tasks.size()).map(t -> read(data, t, per)).persist(StorageLevel.MEMORY_ONLY());
    }

    static LabelledImages read(WorkerData data, int worker, int images) {
        var s = data.settingsFor(worker);
        List<LabelledImages> batches = new ArrayList<>();
        batches.add(LabelledImages.empty(s.channels(), s.imageSize(), s.imageSize(), s.classes()));
        if (s.shards().isEmpty()) {
            return batches.get(0);
        }
        int read = 0;
        try (ShardReader reader = data.open(worker)) {
            Iterator<ShardBatch> it = reader.epoch(DataPosition.start(0));
            while (read < images && it.hasNext()) {
                ShardBatch b = it.next();
                LabelledImages batch = LabelledImages.of(b.data().getFeatures(), b.data().getLabels());
                batches.add(batch);
                read += batch.count();
            }
        }
        return LabelledImages.join(batches).first(images);
    }
}
