package org.vitspark.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.text.SimpleDateFormat;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.TimeZone;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * One metric of one suite experiment over the nights: the earlier nights as a line, tonight as a red dot,
 * the band as a shaded range (or a line for a one-sided band).
 */
public final class TrendChart {

    /** A metric's value on one night. */
    public record Night(LocalDate date, double value) {
    }

    private TrendChart() {
    }

    /** @param tonight the last night's value (drawn apart); {@code earlier} oldest first, without tonight */
    public static JFreeChart of(String title, String metric, List<Night> earlier, Night tonight, Double bandMin,
                                Double bandMax) {
        XYSeries past = new XYSeries("earlier nights");
        for (Night n : earlier) {
            if (Double.isFinite(n.value())) {
                past.add(millis(n.date()), n.value());
            }
        }
        XYSeries now = new XYSeries("tonight (" + tonight.date() + ")");
        if (Double.isFinite(tonight.value())) {
            now.add(millis(tonight.date()), tonight.value());
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(past);
        data.addSeries(now);
        DateAxis x = new DateAxis("night");
        SimpleDateFormat day = new SimpleDateFormat("MM-dd");
        day.setTimeZone(TimeZone.getTimeZone("UTC"));
        x.setDateFormatOverride(day);
        NumberAxis y = new NumberAxis(metric);
        y.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
        r.setSeriesPaint(0, new Color(60, 90, 160));
        r.setSeriesStroke(0, new BasicStroke(1.6f));
        r.setSeriesLinesVisible(1, false);
        r.setSeriesPaint(1, new Color(200, 30, 30));
        r.setSeriesShape(1, new Ellipse2D.Double(-6, -6, 12, 12));
        XYPlot plot = new XYPlot(data, x, y, r);
        Color band = new Color(80, 170, 80);
        if (bandMin != null && bandMax != null) {
            IntervalMarker m = new IntervalMarker(bandMin, bandMax, new Color(80, 170, 80, 40));
            plot.addRangeMarker(m, Layer.BACKGROUND);
        }
        for (Double bound : new Double[] {bandMin, bandMax}) {
            if (bound != null) {
                ValueMarker m = new ValueMarker(bound, band, new BasicStroke(1.2f, BasicStroke.CAP_BUTT,
                        BasicStroke.JOIN_MITER, 1f, new float[] {6f, 4f}, 0f));
                plot.addRangeMarker(m);
            }
        }
        // the band in view even when every night lies far inside it
        double lo = Math.min(min(earlier, tonight), bandMin == null ? Double.POSITIVE_INFINITY : bandMin);
        double hi = Math.max(max(earlier, tonight), bandMax == null ? Double.NEGATIVE_INFINITY : bandMax);
        if (Double.isFinite(lo) && Double.isFinite(hi)) {
            double pad = Math.max((hi - lo) * 0.08, Math.abs(hi) * 1e-3 + 1e-12);
            y.setRange(lo - pad, hi + pad);
        }
        return Charts.styled(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true));
    }

    private static double millis(LocalDate d) {
        return d.atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    private static double min(List<Night> earlier, Night tonight) {
        return java.util.stream.Stream.concat(earlier.stream(), java.util.stream.Stream.of(tonight))
                .mapToDouble(Night::value).filter(Double::isFinite).min().orElse(Double.NaN);
    }

    private static double max(List<Night> earlier, Night tonight) {
        return java.util.stream.Stream.concat(earlier.stream(), java.util.stream.Stream.of(tonight))
                .mapToDouble(Night::value).filter(Double::isFinite).max().orElse(Double.NaN);
    }
}
