package org.vitspark.diagnostics;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vitspark.analysis.LabelledImages;
import org.vitspark.analysis.ParamBlocks;
import org.vitspark.analysis.PowerIteration;
import org.vitspark.analysis.Probe;
import org.vitspark.analysis.RandomVectors;
import org.vitspark.spark.GpuBinding;
import org.vitspark.spark.WorkerThreads;
import org.vitspark.model.ModelSpec;
import org.vitspark.model.ParamLayout;
import org.vitspark.config.AnalyzeSettings;
import org.vitspark.metrics.Stopwatch;

/**
 * λmax of the loss Hessian on a fixed subset, data-parallel: every power iteration is one Spark job in
 * which each worker adds up finite-difference Hessian-vector products over its cached part of the subset;
 * the driver sums the parts in worker order (so the result does not depend on task timing), divides by
 * the image count (H of the mean loss) and takes the next power step.
 */
public final class DistributedHessian {

    /** One component's result ("all" = every parameter). */
    public record Component(String name, long params, PowerIteration.Result power, double seconds) {
    }

    private DistributedHessian() {
    }

    public static List<Component> run(JavaSparkContext sc, JavaRDD<LabelledImages> subset, long images, ModelSpec spec,
                                      INDArray params, AnalyzeSettings s, PrintWriter out) {
        ParamLayout layout = ParamLayout.of(spec);
        // broadcasts get copies: Spark closes AutoCloseable block values (an INDArray frees its buffer) on destroy
        Broadcast<INDArray> bw = sc.broadcast(params.castTo(s.precision()).dup());
        List<Component> results = new ArrayList<>();
        try {
            results.add(component(sc, subset, images, spec, bw, "all", layout.total(), null, s, 0, out));
            if (s.perBlock()) {
                int index = 1;
                for (Map.Entry<String, List<ParamLayout.Entry>> c : ParamBlocks.of(layout).entrySet()) {
                    long n = c.getValue().stream().mapToLong(ParamLayout.Entry::length).sum();
                    INDArray mask = ParamBlocks.mask(layout, c.getValue(), s.precision());
                    results.add(component(sc, subset, images, spec, bw, c.getKey(), n, mask, s, index++, out));
                }
            }
        } finally {
            bw.destroy(false);
        }
        return results;
    }

    private static Component component(JavaSparkContext sc, JavaRDD<LabelledImages> subset, long images, ModelSpec spec,
                                       Broadcast<INDArray> bw, String name, long size, INDArray mask,
                                       AnalyzeSettings s, int index, PrintWriter out) {
        Stopwatch t0 = Stopwatch.start();
        INDArray start = RandomVectors.gaussian(bw.value().length(), s.precision(), s.seed(), 0x4E55L, index);
        PowerIteration.Result r = PowerIteration.run(v -> {
            sc.setJobDescription("analyze: Hessian " + name + " power iteration on " + images + " images");
            return hessianVector(sc, subset, images, spec, bw, v, s);
        }, start, mask, s.tolerance(), s.maxIterations(), (i, l) -> {
            out.printf("analyze: Hessian %s iteration %d/%d: lambda %.6g (%.0f s)%n", name, i, s.maxIterations(), l,
                    t0.seconds());
            out.flush();
        });
        double seconds = t0.seconds();
        out.printf("analyze: Hessian %s: lambda_max %.6g after %d iterations (%s, %.0f s)%n", name, r.eigenvalue(),
                r.iterations(), r.converged() ? "converged" : "iteration limit", seconds);
        return new Component(name, size, r, seconds);
    }

    static INDArray hessianVector(JavaSparkContext sc, JavaRDD<LabelledImages> subset, long images, ModelSpec spec,
                                  Broadcast<INDArray> bw, INDArray v, AnalyzeSettings s) {
        Broadcast<INDArray> bv = sc.broadcast(v.dup());
        try {
            List<INDArray> parts = subset.map(part -> {
                GpuBinding.bind();
                WorkerThreads.apply();
                INDArray sum = Nd4j.zeros(s.precision(), bw.value().shape());
                if (part.count() > 0) {
                    new Probe(spec, s.batch()).addHessianVector(bw.value(), bv.value(), s.fdStep(), part, sum);
                }
                Nd4j.getExecutioner().commit();
                return sum;
            }).collect();
            INDArray total = Nd4j.zeros(s.precision(), v.shape());
            for (INDArray p : parts) {
                total.addi(p);
            }
            return total.divi(images);
        } finally {
            bv.destroy(false);
        }
    }
}
