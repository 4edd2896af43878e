package org.vitspark.report;

/** Iso-line segments of a sampled surface (marching squares, linear interpolation along cell edges). */
final class MarchingSquares {

    interface Sink {
        void segment(double x0, double y0, double x1, double y1);
    }

    private MarchingSquares() {
    }

    static void segments(double[] xs, double[] ys, double[][] z, double level, Sink sink) {
        for (int i = 0; i + 1 < xs.length; i++) {
            for (int j = 0; j + 1 < ys.length; j++) {
                // corners counter-clockwise: (i,j) (i+1,j) (i+1,j+1) (i,j+1); edges between consecutive corners
                double[] cx = {xs[i], xs[i + 1], xs[i + 1], xs[i]};
                double[] cy = {ys[j], ys[j], ys[j + 1], ys[j + 1]};
                double[] cz = {z[i][j], z[i + 1][j], z[i + 1][j + 1], z[i][j + 1]};
                double[] px = new double[4];
                double[] py = new double[4];
                int n = 0;
                for (int e = 0; e < 4; e++) {
                    int a = e;
                    int b = (e + 1) % 4;
                    if ((cz[a] < level) != (cz[b] < level)) {
                        double t = (level - cz[a]) / (cz[b] - cz[a]);
                        px[n] = cx[a] + t * (cx[b] - cx[a]);
                        py[n] = cy[a] + t * (cy[b] - cy[a]);
                        n++;
                    }
                }
                // 2 crossings: one segment; 4 (a saddle): pair consecutive edges, a fixed choice that is
                // at worst a cell-sized kink in the line
                for (int k = 0; k + 1 < n; k += 2) {
                    sink.segment(px[k], py[k], px[k + 1], py[k + 1]);
                }
            }
        }
    }
}
