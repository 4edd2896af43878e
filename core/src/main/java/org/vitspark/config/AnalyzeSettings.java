package org.vitspark.config;

import java.io.Serializable;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.vitspark.analysis.AnalysisPart;

/** The {@code analyze.*} keys, read once (reference.conf documents each). */
public record AnalyzeSettings(List<AnalysisPart> parts, String checkpoint, DataType precision, int batch,
                              String hessianSplit, int hessianImages, int maxIterations, double tolerance,
                              double fdStep, boolean perBlock, String landscapeSplit, int landscapeImages,
                              int points1d, int points2d, double range, String probeSplit, int probeImages,
                              int attentionImages, long seed) implements Serializable {

    public static AnalyzeSettings of(VitsparkConfig c) {
        return new AnalyzeSettings(c.raw().getStringList("analyze.parts").stream()
                .map(k -> AnalysisPart.parse(k).orElseThrow()).toList(), c.getString("analyze.checkpoint"),
                "double".equals(c.getString("analyze.precision")) ? DataType.DOUBLE : DataType.FLOAT,
                c.getInt("analyze.batch"), split(c, "analyze.hessian.split"), c.getInt("analyze.hessian.images"),
                c.getInt("analyze.hessian.max-iterations"), c.getDouble("analyze.hessian.tolerance"),
                c.getDouble("analyze.hessian.fd-step"), c.getBoolean("analyze.hessian.per-block"),
                split(c, "analyze.landscape.split"), c.getInt("analyze.landscape.images"),
                c.getInt("analyze.landscape.points-1d"), c.getInt("analyze.landscape.points-2d"),
                c.getDouble("analyze.landscape.range"), split(c, "analyze.probe.split"),
                c.getInt("analyze.probe.images"), c.getInt("analyze.probe.attention-images"), c.getLong("run.seed"));
    }

    // train/eval → the configured split name (data.train-split / data.eval-split)
    private static String split(VitsparkConfig c, String key) {
        return c.getString("train".equals(c.getString(key)) ? "data.train-split" : "data.eval-split");
    }

    public boolean wants(AnalysisPart part) {
        return parts.contains(part);
    }
}
