package org.vitspark.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.vitspark.metrics.JsonLine;
import org.vitspark.model.ModelSize;
import org.vitspark.model.ModelSpec;
import org.vitspark.model.Variants;
import org.vitspark.network.Networks;
import org.vitspark.config.OptimSettings;
import org.vitspark.optim.Sam;
import org.vitspark.optim.SamListener;
import org.vitspark.optim.WarmupDecaySchedule;
import org.vitspark.metrics.Stopwatch;

/**
 * Training-step timing with the fields of the PyTorch peer (docs/benchmarks.md): median
 * milliseconds per step (forward + backward + AdamW; with SAM the two-pass step) on a fixed random batch,
 * images/s, median forward-only time, plus achieved GFLOP/s (a step is 3× the forward's 2·MACs per
 * image, 6× with SAM) and this machine's sgemm peak measured the same way.
 */
public final class TrainStepBench {

    private TrainStepBench() {
    }

    /**
     * One JSON line per (config, batch, optimiser), handed to {@code sink} as soon as it is measured. With
     * {@code sam} the plain and the SAM step are timed alternately, step by step, so that this VM's drift
     * (the same step's median moved by up to 30% between runs minutes apart) affects both alike and their
     * ratio is a paired measurement; the SAM line carries it as {@code sam_over_plain}.
     */
    public static void run(List<String> configs, List<Integer> batches, boolean sam, int warmup, int iters,
                           int threads, Consumer<String> sink) {
        for (String name : configs) {
            ModelSpec m = Variants.find(name).orElseThrow(() -> new IllegalArgumentException(
                    "unknown variant " + name + " (known: " + Variants.names() + ")"));
            for (int batch : batches) {
                List<Case> cases = new ArrayList<>();
                cases.add(new Case(m, batch, false, iters));
                if (sam) {
                    cases.add(new Case(m, batch, true, iters));
                }
                for (int i = 0; i < warmup; i++) {
                    cases.forEach(c -> c.net.fit(c.data));
                }
                for (int i = 0; i < iters; i++) {
                    for (Case c : cases) {
                        Stopwatch s = Stopwatch.start();
                        c.net.fit(c.data);
                        c.steps[i] = s.millis();
                    }
                }
                double plain = cases.get(0).median();
                for (Case c : cases) {
                    double step = c.median();
                    double fwd = median(warmup, iters, () -> c.net.outputSingle(false, c.data.getFeatures()));
                    double flops = 2.0 * ModelSize.macs(m) * batch * (c.sam ? 6 : 3);
                    JsonLine line = new JsonLine().put("peer", "vitspark-dl4j").put("config", m.name())
                            .put("batch", batch).put("optimizer", c.sam ? "sam" : "adamw").put("threads", threads)
                            .put("params", c.net.numParams()).put("median_ms", round(step))
                            .put("images_per_s", round(batch * 1e3 / step)).put("fwd_median_ms", round(fwd))
                            .put("gflops", round(flops / step / 1e6));
                    if (c.sam) {
                        line.put("sam_over_plain", Math.round(step / plain * 1000) / 1000.0);
                    }
                    sink.accept(line.toString());
                }
            }
        }
    }

    /** One optimiser's network, its fixed random batch and its step times. */
    private static final class Case {
        final boolean sam;
        final ComputationGraph net;
        final DataSet data;
        final double[] steps;

        Case(ModelSpec m, int batch, boolean sam, int iters) {
            this.sam = sam;
            // Same optimiser as the peer: AdamW lr 1e-3, weight decay 0.05, no clipping, no smoothing.
            OptimSettings o = new OptimSettings(1e-3, 1e-3, WarmupDecaySchedule.Kind.CONSTANT, 0, 1_000_000, 0.05,
                    0.9, 0.999, 1e-8, 0, 0, sam ? Sam.Mode.SAM : Sam.Mode.OFF, 0.05);
            net = Networks.build(m, o, 0, DataType.FLOAT);
            if (sam) {
                net.setListeners(new SamListener(Sam.Mode.SAM, 0.05));
            }
            INDArray x = Nd4j.randn(DataType.FLOAT, batch, m.channels(), m.imageSize(), m.imageSize());
            INDArray y = Nd4j.zeros(DataType.FLOAT, batch, m.classes());
            for (int i = 0; i < batch; i++) {
                y.putScalar(i, i % m.classes(), 1f);
            }
            data = new DataSet(x, y);
            steps = new double[iters];
        }

        double median() {
            double[] t = steps.clone();
            Arrays.sort(t);
            return t[t.length / 2];
        }
    }

    /** GFLOP/s of a 1024³ float GEMM through ND4J: the ceiling the model's matrix products can reach. */
    public static double sgemmPeak(int warmup, int iters) {
        int n = 1024;
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray c = Nd4j.create(DataType.FLOAT, n, n);
        double ms = median(warmup, iters, () -> Nd4j.gemm(a, b, c, false, false, 1.0, 0.0));
        return round(2.0 * n * n * n / ms / 1e6);
    }

    static double median(int warmup, int n, Runnable r) {
        for (int i = 0; i < warmup; i++) {
            r.run();
        }
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            Stopwatch s = Stopwatch.start();
            r.run();
            t[i] = s.millis();
        }
        Arrays.sort(t);
        return t[n / 2];
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
