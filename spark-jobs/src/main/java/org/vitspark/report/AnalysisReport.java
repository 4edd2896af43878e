package org.vitspark.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vitspark.diagnostics.Analyzer;
import org.vitspark.diagnostics.DistributedLandscape;
import org.vitspark.fs.HadoopFiles;
import org.vitspark.run.RunDirectory;

/**
 * Draws an analysis (power iteration, landscape line, contour and heat map, attention overlays) and writes
 * RUN_DIR/analysis/: the plots (PNG) first, then analysis.json, so a present analysis.json means a
 * complete analysis.
 */
public final class AnalysisReport {

    public static final String DIR = "analysis";
    public static final String JSON_FILE = "analysis.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private AnalysisReport() {
    }

    /** The plots of {@code a}, by file name. */
    public static Map<String, byte[]> charts(Analyzer.Analysis a) throws IOException {
        Map<String, byte[]> images = new LinkedHashMap<>();
        if (a.hessian() != null) {
            images.put("hessian.png", Charts.png(Charts.lines("Power iteration", "iteration", "lambda estimate",
                    List.of(series("lambda_max", a.hessian().get(0).power().history())), false), 640, 360));
        }
        DistributedLandscape.Result l = a.landscape();
        if (l != null) {
            images.put("landscape-1d.png", Charts.png(Charts.lines("Loss along a filter-normalised direction",
                    "alpha", "cross-entropy", List.of(new Charts.Series("loss", l.coords(), l.line())), false), 640, 400));
            images.put("landscape-2d-contour.png", Charts.png(Charts.contour("Loss contours", "alpha (d1)",
                    "beta (d2)", l.coords2d(), l.coords2d(), l.surface(), 12), 560, 480));
            images.put("landscape-2d-heatmap.png", Charts.png(Charts.heatMap("Loss surface (log10)", "alpha (d1)",
                    "beta (d2)", l.coords2d(), l.coords2d(), l.surface()), 560, 480));
        }
        if (a.attention() != null) {
            images.put("attention.png", AttentionGrid.png(a.attention().maps(), a.spec().channels(),
                    a.spec().imageSize(), a.spec().imageSize(), a.classes()));
        }
        return images;
    }

    /** Writes the plots, then analysis.json (listing them). */
    public static void write(RunDirectory run, Analyzer.Analysis a, PrintWriter out) throws IOException {
        ObjectNode json = a.json().deepCopy();
        ArrayNode files = json.putArray("images");
        for (Map.Entry<String, byte[]> e : charts(a).entrySet()) {
            HadoopFiles.writeAtomically(run.fs(), run.file(DIR + "/" + e.getKey()), o -> o.write(e.getValue()));
            files.add(e.getKey());
        }
        HadoopFiles.writeString(run.fs(), run.file(DIR + "/" + JSON_FILE),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
        out.printf("analyze: written %s (%.0f s)%n", run.file(DIR), json.path("seconds").asDouble());
        out.flush();
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
}
