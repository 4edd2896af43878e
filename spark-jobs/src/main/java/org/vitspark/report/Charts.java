package org.vitspark.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's and analyze's charts, drawn by JFreeChart and written as PNG: line charts (curves,
 * landscape slices, per-layer metrics), grouped bars (per-block ratios), a heat map and a contour plot of
 * a 2-D surface. Contour lines are found by marching squares here and drawn as JFreeChart line series
 * (JFreeChart 1.5 has no contour plot); each segment is separated from the next by a NaN point, which its
 * line renderer does not connect.
 */
public final class Charts {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** A named series of (x, y) points. */
    public record Series(String name, double[] x, double[] y) {
    }

    private Charts() {
    }

    public static byte[] png(JFreeChart chart, int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ChartUtils.writeChartAsPNG(out, chart, width, height);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static JFreeChart lines(String title, String xLabel, String yLabel, List<Series> series, boolean logY) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Series s : series) {
            XYSeries xy = new XYSeries(s.name(), false, true);
            for (int i = 0; i < s.x().length; i++) {
                if (!logY || s.y()[i] > 0) {
                    xy.add(s.x()[i], s.y()[i]);
                }
            }
            data.addSeries(xy);
        }
        NumberAxis x = new NumberAxis(xLabel);
        x.setAutoRangeIncludesZero(false);
        org.jfree.chart.axis.ValueAxis y = logY ? new LogAxis(yLabel) : axis(yLabel);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, series.stream().anyMatch(s -> s.x().length <= 30));
        for (int i = 0; i < series.size(); i++) {
            r.setSeriesStroke(i, new BasicStroke(1.6f));
        }
        XYPlot plot = new XYPlot(data, x, y, r);
        return styled(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, series.size() > 1));
    }

    /** Grouped bars: one group per category, one bar per series. */
    public static JFreeChart bars(String title, String categoryLabel, String valueLabel, List<String> categories,
                                  Map<String, double[]> series) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Map.Entry<String, double[]> s : series.entrySet()) {
            for (int i = 0; i < categories.size(); i++) {
                data.addValue(s.getValue()[i], s.getKey(), categories.get(i));
            }
        }
        JFreeChart chart = org.jfree.chart.ChartFactory.createBarChart(title, categoryLabel, valueLabel, data,
                PlotOrientation.VERTICAL, series.size() > 1, false, false);
        ((BarRenderer) ((CategoryPlot) chart.getPlot()).getRenderer()).setShadowVisible(false);
        return styled(chart);
    }

    /** z[i][j] at (xs[i], ys[j]) as coloured cells, colour on a log10 scale (loss surfaces span decades). */
    public static JFreeChart heatMap(String title, String xLabel, String yLabel, double[] xs, double[] ys, double[][] z) {
        int n = xs.length * ys.length;
        double[][] xyz = new double[3][n];
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0, k = 0; i < xs.length; i++) {
            for (int j = 0; j < ys.length; j++, k++) {
                double v = Math.log10(Math.max(z[i][j], 1e-12));
                xyz[0][k] = xs[i];
                xyz[1][k] = ys[j];
                xyz[2][k] = v;
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (hi <= lo) {
            hi = lo + 1e-9;
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("log10 loss", xyz);
        XYBlockRenderer r = new XYBlockRenderer();
        r.setBlockWidth(xs.length > 1 ? xs[1] - xs[0] : 1);
        r.setBlockHeight(ys.length > 1 ? ys[1] - ys[0] : 1);
        LookupPaintScale scale = new LookupPaintScale(lo, hi, Color.BLACK);
        for (int s = 0; s < 64; s++) {
            double t = s / 63.0;
            scale.add(lo + t * (hi - lo), colour(t));
        }
        r.setPaintScale(scale);
        XYPlot plot = new XYPlot(data, axis(xLabel), axis(yLabel), r);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        NumberAxis scaleAxis = new NumberAxis("log10 loss");
        PaintScaleLegend legend = new PaintScaleLegend(scale, scaleAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(4, 4, 40, 4);
        chart.addSubtitle(legend);
        return styled(chart);
    }

    /** Iso-lines of z[i][j] at (xs[i], ys[j]) at {@code levels} levels evenly spaced in log10 between min and max. */
    public static JFreeChart contour(String title, String xLabel, String yLabel, double[] xs, double[] ys, double[][] z,
                                     int levels) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] row : z) {
            for (double v : row) {
                lo = Math.min(lo, Math.log10(Math.max(v, 1e-12)));
                hi = Math.max(hi, Math.log10(Math.max(v, 1e-12)));
            }
        }
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int l = 1; l <= levels; l++) {
            double level = Math.pow(10, lo + (hi - lo) * l / (levels + 1));
            // a nearly flat surface gives levels equal to 3 digits: series names must stay distinct
            String name = String.format("%.3g", level);
            name = names.add(name) ? name : name + " (" + l + ")";
            names.add(name);
            XYSeries s = new XYSeries(name, false, true);
            MarchingSquares.segments(xs, ys, z, level, (x0, y0, x1, y1) -> {
                s.add(x0, y0);
                s.add(x1, y1);
                s.add(x1, Double.NaN);
            });
            data.addSeries(s);
            r.setSeriesPaint(l - 1, colour((l - 1) / (double) Math.max(1, levels - 1)));
            r.setSeriesStroke(l - 1, new BasicStroke(1.4f));
        }
        XYSeries centre = new XYSeries("trained weights");
        centre.add(0, 0);
        data.addSeries(centre);
        r.setSeriesLinesVisible(levels, false);
        r.setSeriesShapesVisible(levels, true);
        r.setSeriesPaint(levels, Color.BLACK);
        r.setSeriesVisibleInLegend(levels, true);
        XYPlot plot = new XYPlot(data, axis(xLabel), axis(yLabel), r);
        return styled(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true));
    }

    private static NumberAxis axis(String label) {
        NumberAxis a = new NumberAxis(label);
        a.setAutoRangeIncludesZero(false);
        return a;
    }

    /** A perceptually ordered blue → green → yellow map (viridis-like), t in [0, 1]. */
    public static Color colour(double t) {
        double[][] stops = {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};
        double p = Math.max(0, Math.min(1, t)) * (stops.length - 1);
        int i = Math.min(stops.length - 2, (int) p);
        double f = p - i;
        return new Color((int) Math.round(stops[i][0] + f * (stops[i + 1][0] - stops[i][0])),
                (int) Math.round(stops[i][1] + f * (stops[i + 1][1] - stops[i][1])),
                (int) Math.round(stops[i][2] + f * (stops[i + 1][2] - stops[i][2])));
    }

    static JFreeChart styled(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getPlot().setBackgroundPaint(new Color(248, 248, 248));
        return chart;
    }
}
