package org.vitspark.diagnostics;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vitspark.analysis.FilterNormalization;
import org.vitspark.analysis.LabelledImages;
import org.vitspark.analysis.Probe;
import org.vitspark.spark.GpuBinding;
import org.vitspark.spark.WorkerThreads;
import org.vitspark.model.ModelSpec;
import org.vitspark.model.ParamLayout;
import org.vitspark.config.AnalyzeSettings;
import org.vitspark.metrics.Stopwatch;

/**
 * Loss-landscape slices (Li et al. 2018): L(w + a·d1) on a line and L(w + a·d1 + b·d2) on a square grid,
 * with d1, d2 filter-normalised random directions; the subset is small, so it is broadcast and the grid
 * points are what is spread over the tasks (each task evaluates a run of points on the whole subset).
 */
public final class DistributedLandscape {

    /**
     * @param coords grid coordinates along each direction, [-range, range]
     * @param line loss along d1 (b = 0), one per coordinate
     * @param lineAccuracy accuracy along d1
     * @param surface loss at (coords[i], coords[j]) in surface[i][j] (i along d1, j along d2); null when not asked
     */
    public record Result(int images, double[] coords, double[] line, double[] lineAccuracy, double[] coords2d,
                         double[][] surface, double seconds) {
    }

    private DistributedLandscape() {
    }

    public static Result run(JavaSparkContext sc, LabelledImages subset, ModelSpec spec, INDArray params,
                             AnalyzeSettings s, PrintWriter out) {
        Stopwatch t0 = Stopwatch.start();
        ParamLayout layout = ParamLayout.of(spec);
        INDArray w = params.castTo(s.precision());
        INDArray d1 = FilterNormalization.direction(layout, w, s.seed() * 31 + 1);
        INDArray d2 = FilterNormalization.direction(layout, w, s.seed() * 31 + 2);
        double[] line = coordinates(s.points1d(), s.range());
        double[] square = coordinates(s.points2d(), s.range());
        List<double[]> points = new ArrayList<>();
        for (double a : line) {
            points.add(new double[] {a, 0});
        }
        for (double a : square) {
            for (double b : square) {
                points.add(new double[] {a, b});
            }
        }
        Broadcast<INDArray[]> bw = sc.broadcast(new INDArray[] {w, d1, d2});
        Broadcast<LabelledImages> bdata = sc.broadcast(subset);
        try {
            int slices = Math.min(points.size(), sc.defaultParallelism() * 8);
            sc.setJobDescription("analyze: loss landscape, " + points.size() + " points on " + subset.count() + " images");
            out.printf("analyze: loss landscape: %d points (line %d, grid %dx%d) on %d images in %d tasks%n",
                    points.size(), line.length, square.length, square.length, subset.count(), slices);
            out.flush();
            List<double[]> losses = sc.parallelize(points, slices).mapPartitions(it -> {
                GpuBinding.bind();
                WorkerThreads.apply();
                INDArray[] v = bw.value();
                Probe probe = new Probe(spec, s.batch());
                List<double[]> res = new ArrayList<>();
                while (it.hasNext()) {
                    double[] p = it.next();
                    INDArray at = v[0].add(v[1].mul(p[0])).addi(v[2].mul(p[1]));
                    Probe.LossSums sums = probe.loss(at, bdata.value());
                    res.add(new double[] {sums.meanLoss(), sums.accuracy()});
                }
                Nd4j.getExecutioner().commit();
                return res.iterator();
            }).collect();
            double[] lineLoss = new double[line.length];
            double[] lineAcc = new double[line.length];
            for (int i = 0; i < line.length; i++) {
                lineLoss[i] = losses.get(i)[0];
                lineAcc[i] = losses.get(i)[1];
            }
            double[][] surface = new double[square.length][square.length];
            for (int i = 0; i < square.length; i++) {
                for (int j = 0; j < square.length; j++) {
                    surface[i][j] = losses.get(line.length + i * square.length + j)[0];
                }
            }
            double seconds = t0.seconds();
            out.printf("analyze: loss landscape done: loss at the weights %.4f, at the line's ends %.4f / %.4f (%.0f s)%n",
                    lineLoss[line.length / 2], lineLoss[0], lineLoss[line.length - 1], seconds);
            return new Result(subset.count(), line, lineLoss, lineAcc, square, surface, seconds);
        } finally {
            bw.destroy(false);
            bdata.destroy(false);
        }
    }

    /** n evenly spaced points from -range to range. */
    static double[] coordinates(int n, double range) {
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            c[i] = -range + 2 * range * i / (n - 1);
        }
        return c;
    }
}
