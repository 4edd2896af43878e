package org.vitspark.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jfree.chart.JFreeChart;
import org.junit.jupiter.api.Test;

/** Contour charts of nearly flat surfaces (an untrained model's landscape) still draw. */
class ChartsTest {

    @Test
    void levelsEqualToThreeDigitsGetDistinctSeries() {
        double[] xs = {-1, 0, 1};
        double[][] z = {{2.2500, 2.2501, 2.2500}, {2.2501, 2.2500, 2.2501}, {2.2500, 2.2501, 2.2502}};
        JFreeChart chart = Charts.contour("flat", "a", "b", xs, xs, z, 8);
        // 8 levels and the marker of the trained weights
        assertEquals(9, chart.getXYPlot().getDataset().getSeriesCount());
    }
}
