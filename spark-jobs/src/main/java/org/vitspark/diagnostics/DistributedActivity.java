package org.vitspark.diagnostics;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vitspark.analysis.ActivityStats;
import org.vitspark.analysis.LabelledImages;
import org.vitspark.analysis.Probe;
import org.vitspark.spark.GpuBinding;
import org.vitspark.spark.WorkerThreads;
import org.vitspark.model.ModelSpec;
import org.vitspark.config.AnalyzeSettings;

/** Neuron activity, over-smoothing and attention maps over the probe subset: one pass per worker, merged in worker order. */
public final class DistributedActivity {

    private DistributedActivity() {
    }

    public static ActivityStats run(JavaSparkContext sc, JavaRDD<LabelledImages> subset, ModelSpec spec,
                                    INDArray params, AnalyzeSettings s) {
        Broadcast<INDArray> bw = sc.broadcast(params.castTo(s.precision()).dup()); // a copy: destroy closes it
        try {
            sc.setJobDescription("analyze: neuron activity, over-smoothing, attention maps");
            int maps = s.attentionImages();
            List<ActivityStats> parts = subset.map(part -> {
                GpuBinding.bind();
                WorkerThreads.apply();
                ActivityStats a = new Probe(spec, s.batch()).activity(bw.value(), part, maps);
                Nd4j.getExecutioner().commit();
                return a;
            }).collect();
            ActivityStats total = parts.get(0);
            for (int i = 1; i < parts.size(); i++) {
                total.plus(parts.get(i), maps);
            }
            return total;
        } finally {
            bw.destroy(false);
        }
    }
}
