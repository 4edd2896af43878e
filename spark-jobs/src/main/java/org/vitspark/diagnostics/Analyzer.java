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
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vitspark.analysis.ActivityStats;
import org.vitspark.analysis.AnalysisPart;
import org.vitspark.analysis.LabelledImages;
import org.vitspark.dataset.DataOpener;
import org.vitspark.dataset.WorkerData;
import org.vitspark.config.Settings;
import org.vitspark.objective.Objectives;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.vitspark.checkpoint.Checkpoint;
import org.vitspark.checkpoint.CheckpointStore;
import org.vitspark.run.RunDirectory;
import org.vitspark.model.ModelSpec;
import org.vitspark.model.ParamLayout;
import org.vitspark.shard.ShardManifest;
import org.vitspark.runtime.UsageException;
import org.vitspark.config.AnalyzeSettings;
import org.vitspark.metrics.Stopwatch;
import org.vitspark.runtime.MemoryUse;

/**
 * {@code analyze}: the SAM-ViT paper's diagnostics of one checkpoint of a run, on Spark. Returns the
 * results (the numbers as analysis.json holds them, and the series the plots are drawn from); the
 * report package draws and writes them.
 */
public final class Analyzer {

    /**
     * What one analysis found.
     *
     * @param json the numbers, as analysis.json records them
     * @param hessian λmax of the whole model, then per block when asked; null when not analysed
     * @param landscape the 1-D and 2-D loss landscape; null when not analysed
     * @param attention the probe's attention maps when asked, else null
     */
    public record Analysis(ObjectNode json, List<DistributedHessian.Component> hessian,
                           DistributedLandscape.Result landscape, ActivityStats attention, ModelSpec spec,
                           List<String> classes) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Settings settings;
    private final PrintWriter out;

    public Analyzer(Settings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    public Analysis analyze(JavaSparkContext sc, RunDirectory run) throws IOException {
        Stopwatch t0 = Stopwatch.start();
        AnalyzeSettings s = settings.analyze();
        CheckpointStore store = new CheckpointStore(run.fs(), run.file("checkpoints"), Integer.MAX_VALUE, out);
        Checkpoint cp = "latest".equals(s.checkpoint())
                ? store.loadLatest().orElseThrow(() -> new UsageException("analyze: " + run + " has no checkpoint ("
                        + run.file("checkpoints") + " has no LATEST); train writes one after every epoch"))
                : store.loadNamed(s.checkpoint());
        ModelSpec spec = settings.model();
        long expected = ParamLayout.of(spec, Objectives.build(settings.objective(), spec).params()).total();
        if (cp.params().length() != expected) {
            throw new UsageException("analyze: checkpoint " + cp.name() + " has " + cp.params().length()
                    + " parameters but the configured model " + spec.name() + " and objective have " + expected
                    + "; analyse with the run's own config (RUN_DIR/config.conf)");
        }
        // The model's parameters (an objective's own tensors follow them and are not analysed), as one row
        // [1, P]: the shape of the flat vectors the diagnostics build (directions, power-iteration vectors).
        long modelParams = ParamLayout.of(spec).total();
        INDArray params = cp.params().reshape(1, expected)
                .get(NDArrayIndex.point(0), NDArrayIndex.interval(0, modelParams)).reshape(1, modelParams).dup();
        out.printf("analyze: %s checkpoint %s (round %d, epoch %d), %s, %s precision%n", run, cp.name(),
                cp.state().round(), cp.state().epoch(), spec.name(), s.precision().name().toLowerCase());
        out.flush();
        DataOpener.Opened data = DataOpener.open(sc, settings);
        int workers = data.workers();
        ShardManifest manifest = data.manifest();

        ObjectNode json = JSON.createObjectNode();
        json.put("run", run.toString());
        json.put("checkpoint", cp.name());
        json.put("round", cp.state().round());
        json.put("epoch", cp.state().epoch());
        json.put("model", spec.name());
        json.put("precision", s.precision().name().toLowerCase());
        json.put("workers", workers);
        List<DistributedHessian.Component> hessian = null;
        DistributedLandscape.Result landscape = null;
        ActivityStats attention = null;
        Map<String, JavaRDD<LabelledImages>> cached = new LinkedHashMap<>();
        try {
            if (s.wants(AnalysisPart.HESSIAN)) {
                JavaRDD<LabelledImages> subset = subset(sc, cached, data, spec, run,
                        s.hessianSplit(), s.hessianImages());
                long n = count(subset);
                hessian = DistributedHessian.run(sc, subset, n, spec, params, s, out);
                json.set("hessian", hessianJson(hessian, n, s));
                memory(out, "Hessian");
            }
            if (s.wants(AnalysisPart.LANDSCAPE)) {
                LabelledImages subset = merged(subset(sc, cached, data, spec, run,
                        s.landscapeSplit(), s.landscapeImages()));
                landscape = DistributedLandscape.run(sc, subset, spec, params, s, out);
                json.set("landscape", landscapeJson(landscape, s));
                memory(out, "landscape");
            }
            if (s.wants(AnalysisPart.NEURONS) || s.wants(AnalysisPart.OVERSMOOTHING) || s.wants(AnalysisPart.ATTENTION)) {
                Stopwatch t = Stopwatch.start();
                JavaRDD<LabelledImages> subset = subset(sc, cached, data, spec, run,
                        s.probeSplit(), s.probeImages());
                ActivityStats a = DistributedActivity.run(sc, subset, spec, params, s);
                double seconds = t.seconds();
                if (s.wants(AnalysisPart.NEURONS)) {
                    ObjectNode n = json.putObject("neurons");
                    n.put("images", a.images());
                    n.put("split", s.probeSplit());
                    array(n.putArray("active_ratio"), a.activeRatio());
                    if (a.tokenActiveRatio().length > 0) {
                        array(n.putArray("token_mlp_active_ratio"), a.tokenActiveRatio());
                    }
                    out.printf("analyze: active MLP neurons per block: %s%n", fmt(a.activeRatio()));
                }
                if (s.wants(AnalysisPart.OVERSMOOTHING)) {
                    ObjectNode o = json.putObject("oversmoothing");
                    o.put("images", a.images());
                    o.put("split", s.probeSplit());
                    array(o.putArray("patch_cosine"), a.overSmoothing());
                    o.put("patch_cosine_final_norm", a.overSmoothingFinalNorm());
                    out.printf("analyze: patch-token |cos| per block: %s; after the final LayerNorm %.3f%n",
                            fmt(a.overSmoothing()), a.overSmoothingFinalNorm());
                }
                if (s.wants(AnalysisPart.ATTENTION) && !a.maps().isEmpty()) {
                    attention = a;
                    json.putObject("attention").put("images", a.maps().size()).put("file", "attention.png");
                    out.printf("analyze: attention maps of %d images%n", a.maps().size());
                } else if (s.wants(AnalysisPart.ATTENTION)) {
                    out.println("analyze: attention: the model has no attention layers (MLP-Mixer) or no images; skipped");
                }
                json.put("probe_seconds", seconds);
                memory(out, "probes");
            }
        } finally {
            cached.values().forEach(JavaRDD::unpersist);
        }
        json.put("seconds", t0.seconds());
        return new Analysis(json, hessian, landscape, attention, spec, manifest.classes());
    }

    /** The driver JVM's memory after a part (with Spark's embedded master, the executors' too). */
    private static void memory(PrintWriter out, String part) {
        out.printf("analyze: memory after the %s: %s%n", part, MemoryUse.line());
        out.flush();
    }

    private JavaRDD<LabelledImages> subset(JavaSparkContext sc, Map<String, JavaRDD<LabelledImages>> cached,
                                           DataOpener.Opened data, ModelSpec spec, RunDirectory run, String split,
                                           int images) {
        if (!data.manifest().splitNames().contains(split)) {
            throw new UsageException("analyze: the shards have no split \"" + split + "\" (have "
                    + data.manifest().splitNames() + ")");
        }
        return cached.computeIfAbsent(split + "/" + images, k -> {
            WorkerData w = data.split(settings.reader(spec, split, false), run.path() + "#analyze-" + split);
            sc.setJobDescription("analyze: read " + images + " " + split + " images");
            return Subsets.load(sc, w, images);
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
