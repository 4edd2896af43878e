package org.vitspark.diagnostics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vitspark.analysis.ActivityStats;
import org.vitspark.analysis.LabelledImages;
import org.vitspark.averaging.AveragingTrainer;
import org.vitspark.averaging.TrainData;
import org.vitspark.averaging.WorkerData;
import org.vitspark.checkpoint.Checkpoint;
import org.vitspark.checkpoint.CheckpointStore;
import org.vitspark.config.VitsparkConfig;
import org.vitspark.io.HadoopFiles;
import org.vitspark.io.IdxShards;
import org.vitspark.io.RunDirectory;
import org.vitspark.model.ModelSpec;
import org.vitspark.model.ParamLayout;
import org.vitspark.reader.ShardManifest;
import org.vitspark.report.AttentionGrid;
import org.vitspark.report.Charts;
import org.vitspark.runtime.UsageException;

/**
 * {@code analyze}: the SAM-ViT paper's diagnostics of one checkpoint of a run, on Spark. Writes
 * RUN_DIR/analysis/: the plots (PNG) first, then analysis.json, so a present analysis.json means a
 * complete analysis.
 */
public final class Analyzer {

    public static final String DIR = "analysis";
    public static final String JSON_FILE = "analysis.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final VitsparkConfig config;
    private final PrintWriter out;

    public Analyzer(VitsparkConfig config, PrintWriter out) {
        this.config = config;
        this.out = out;
    }

    public ObjectNode analyze(JavaSparkContext sc, RunDirectory run) throws IOException {
        long t0 = System.nanoTime();
        AnalyzeSettings s = AnalyzeSettings.of(config);
        CheckpointStore store = new CheckpointStore(run.fs(), run.file("checkpoints"), Integer.MAX_VALUE, out);
        Checkpoint cp = "latest".equals(s.checkpoint())
                ? store.loadLatest().orElseThrow(() -> new UsageException("analyze: " + run + " has no checkpoint ("
                        + run.file("checkpoints") + " has no LATEST); train writes one after every epoch"))
                : store.loadNamed(s.checkpoint());
        ModelSpec spec = config.model();
        long expected = ParamLayout.of(spec).total();
        if (cp.params().length() != expected) {
            throw new UsageException("analyze: checkpoint " + cp.name() + " has " + cp.params().length()
                    + " parameters but the configured model " + spec.name() + " has " + expected
                    + "; analyse with the run's own config (RUN_DIR/config.conf)");
        }
        // one row [1, P], the shape of the flat vectors the diagnostics build (directions, power-iteration vectors)
        INDArray params = cp.params().reshape(1, cp.params().length());
        out.printf("analyze: %s checkpoint %s (round %d, epoch %d), %s, %s precision%n", run, cp.name(),
                cp.state().round(), cp.state().epoch(), spec.name(), s.precision().name().toLowerCase());
        out.flush();
        int workers = TrainData.workers(config, sc);
        String root = IdxShards.ensure(SparkSession.builder().sparkContext(sc.sc()).getOrCreate(), config, workers, out);
        Path r = new Path(root);
        ShardManifest manifest = ShardManifest.read(r.getFileSystem(sc.hadoopConfiguration()), r);
        Map<String, String> hadoop = AveragingTrainer.hadoopProperties(sc);

        ObjectNode json = JSON.createObjectNode();
        json.put("run", run.toString());
        json.put("checkpoint", cp.name());
        json.put("round", cp.state().round());
        json.put("epoch", cp.state().epoch());
        json.put("model", spec.name());
        json.put("precision", s.precision().name().toLowerCase());
        json.put("workers", workers);
        Map<String, byte[]> images = new LinkedHashMap<>();
        Map<String, JavaRDD<LabelledImages>> cached = new LinkedHashMap<>();
        try {
            if (s.wants("hessian")) {
                JavaRDD<LabelledImages> subset = subset(sc, cached, manifest, spec, hadoop, workers, run,
                        s.hessianSplit(), s.hessianImages());
                long n = count(subset);
                List<DistributedHessian.Component> hs = DistributedHessian.run(sc, subset, n, spec, params, s, out);
                json.set("hessian", hessianJson(hs, n, s));
                images.put("hessian.png", Charts.png(Charts.lines("Power iteration", "iteration", "lambda estimate",
                        List.of(series("lambda_max", hs.get(0).power().history())), false), 640, 360));
            }
            if (s.wants("landscape")) {
                LabelledImages subset = merged(subset(sc, cached, manifest, spec, hadoop, workers, run,
                        s.landscapeSplit(), s.landscapeImages()));
                DistributedLandscape.Result l = DistributedLandscape.run(sc, subset, spec, params, s, out);
                json.set("landscape", landscapeJson(l, s));
                images.put("landscape-1d.png", Charts.png(Charts.lines("Loss along a filter-normalised direction",
                        "alpha", "cross-entropy", List.of(new Charts.Series("loss", l.coords(), l.line())), false), 640, 400));
                images.put("landscape-2d-contour.png", Charts.png(Charts.contour("Loss contours", "alpha (d1)",
                        "beta (d2)", l.coords2d(), l.coords2d(), l.surface(), 12), 560, 480));
                images.put("landscape-2d-heatmap.png", Charts.png(Charts.heatMap("Loss surface (log10)", "alpha (d1)",
                        "beta (d2)", l.coords2d(), l.coords2d(), l.surface()), 560, 480));
            }
            if (s.wants("neurons") || s.wants("oversmoothing") || s.wants("attention")) {
                long t = System.nanoTime();
                JavaRDD<LabelledImages> subset = subset(sc, cached, manifest, spec, hadoop, workers, run,
                        s.probeSplit(), s.probeImages());
                ActivityStats a = DistributedActivity.run(sc, subset, spec, params, s);
                double seconds = (System.nanoTime() - t) / 1e9;
                if (s.wants("neurons")) {
                    ObjectNode n = json.putObject("neurons");
                    n.put("images", a.images());
                    n.put("split", s.probeSplit());
                    array(n.putArray("active_ratio"), a.activeRatio());
                    if (a.tokenActiveRatio().length > 0) {
                        array(n.putArray("token_mlp_active_ratio"), a.tokenActiveRatio());
                    }
                    out.printf("analyze: active MLP neurons per block: %s%n", fmt(a.activeRatio()));
                }
                if (s.wants("oversmoothing")) {
                    ObjectNode o = json.putObject("oversmoothing");
                    o.put("images", a.images());
                    o.put("split", s.probeSplit());
                    array(o.putArray("patch_cosine"), a.overSmoothing());
                    out.printf("analyze: patch-token |cos| per block: %s%n", fmt(a.overSmoothing()));
                }
                if (s.wants("attention") && !a.maps().isEmpty()) {
                    images.put("attention.png", AttentionGrid.png(a.maps(), spec.channels(), spec.imageSize(),
                            spec.imageSize(), manifest.classes()));
                    json.putObject("attention").put("images", a.maps().size()).put("file", "attention.png");
                    out.printf("analyze: attention maps of %d images%n", a.maps().size());
                } else if (s.wants("attention")) {
                    out.println("analyze: attention: the model has no attention layers (MLP-Mixer) or no images; skipped");
                }
                json.put("probe_seconds", seconds);
            }
        } finally {
            cached.values().forEach(JavaRDD::unpersist);
        }
        json.put("seconds", (System.nanoTime() - t0) / 1e9);
        ArrayNode files = json.putArray("images");
        for (Map.Entry<String, byte[]> e : images.entrySet()) {
            HadoopFiles.writeAtomically(run.fs(), run.file(DIR + "/" + e.getKey()), o -> o.write(e.getValue()));
            files.add(e.getKey());
        }
        HadoopFiles.writeString(run.fs(), run.file(DIR + "/" + JSON_FILE),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
        out.printf("analyze: written %s (%.0f s)%n", run.file(DIR), (System.nanoTime() - t0) / 1e9);
        out.flush();
        return json;
    }

    private JavaRDD<LabelledImages> subset(JavaSparkContext sc, Map<String, JavaRDD<LabelledImages>> cached,
                                           ShardManifest manifest, ModelSpec spec, Map<String, String> hadoop,
                                           int workers, RunDirectory run, String split, int images) {
        if (!manifest.splitNames().contains(split)) {
            throw new UsageException("analyze: the shards have no split \"" + split + "\" (have " + manifest.splitNames() + ")");
        }
        return cached.computeIfAbsent(split + "/" + images, k -> {
            WorkerData data = new WorkerData(manifest, TrainData.readerSettings(config, spec, split, false), hadoop,
                    workers, run.path() + "#analyze-" + split);
            sc.setJobDescription("analyze: read " + images + " " + split + " images");
            return Subsets.load(sc, data, images);
        });
    }

    private long count(JavaRDD<LabelledImages> subset) {
        long n = subset.map(LabelledImages::count).reduce(Integer::sum);
        if (n == 0) {
            throw new UsageException("analyze: the split has no images");
        }
        return n;
    }

    private static LabelledImages merged(JavaRDD<LabelledImages> subset) {
        return LabelledImages.join(subset.collect());
    }

    private static ObjectNode hessianJson(List<DistributedHessian.Component> hs, long images, AnalyzeSettings s) {
        ObjectNode h = JSON.createObjectNode();
        h.put("images", images);
        h.put("fd_step", s.fdStep());
        h.put("tolerance", s.tolerance());
        DistributedHessian.Component all = hs.get(0);
        h.put("lambda_max", all.power().eigenvalue());
        h.put("iterations", all.power().iterations());
        h.put("converged", all.power().converged());
        h.put("seconds", all.seconds());
        ArrayNode hist = h.putArray("history");
        all.power().history().forEach(hist::add);
        if (hs.size() > 1) {
            ObjectNode per = h.putObject("per_block");
            for (DistributedHessian.Component c : hs.subList(1, hs.size())) {
                per.putObject(c.name()).put("lambda_max", c.power().eigenvalue()).put("iterations", c.power().iterations())
                        .put("converged", c.power().converged()).put("params", c.params());
            }
        }
        return h;
    }

    private static ObjectNode landscapeJson(DistributedLandscape.Result l, AnalyzeSettings s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("images", l.images());
        n.put("range", s.range());
        n.put("seconds", l.seconds());
        array(n.putArray("coords_1d"), l.coords());
        array(n.putArray("loss_1d"), l.line());
        array(n.putArray("accuracy_1d"), l.lineAccuracy());
        array(n.putArray("coords_2d"), l.coords2d());
        ArrayNode grid = n.putArray("loss_2d");
        for (double[] row : l.surface()) {
            array(grid.addArray(), row);
        }
        return n;
    }

    private static Charts.Series series(String name, List<Double> ys) {
        double[] x = new double[ys.size()];
        double[] y = new double[ys.size()];
        for (int i = 0; i < y.length; i++) {
            x[i] = i + 1;
            y[i] = ys.get(i);
        }
        return new Charts.Series(name, x, y);
    }

    private static void array(ArrayNode a, double[] values) {
        for (double v : values) {
            a.add(v);
        }
    }

    private static String fmt(double[] v) {
        List<String> s = new ArrayList<>();
        for (double x : v) {
            s.add(String.format("%.3f", x));
        }
        return String.join(" ", s);
    }
}
