package org.vitspark.dino;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vitspark.model.TransformerNetGradientTest;

/** The DINO loss, its centring and sharpening, its gradient and the centre update, against hand computation. */
public class DinoLossTest {

    private static INDArray row(double... v) {
        return Nd4j.create(v, new long[] {1, v.length}, DataType.DOUBLE);
    }

    private static double[] softmax(double[] x, double temp) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v / temp);
        }
        double sum = 0;
        double[] e = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            e[i] = Math.exp(x[i] / temp - max);
            sum += e[i];
        }
        for (int i = 0; i < x.length; i++) {
            e[i] /= sum;
        }
        return e;
    }

    private static double ce(double[] q, double[] p) {
        double s = 0;
        for (int k = 0; k < q.length; k++) {
            s -= q[k] * Math.log(p[k]);
        }
        return s;
    }

    /** One image, K = 3, two global views and one local: pairs (t0,s1), (t0,s2), (t1,s0), (t1,s2). */
    @Test
    void handComputedLossSkipsSameViewPairs() {
        double[] t0 = {1.0, 0.2, -0.5};
        double[] t1 = {0.3, 0.9, 0.1};
        double[] c = {0.2, -0.1, 0.05};
        double[][] s = {{0.5, -0.2, 0.1}, {-0.3, 0.4, 0.8}, {0.0, 0.6, -0.7}};
        double tt = 0.04;
        double ts = 0.1;
        double[] q0 = softmax(new double[] {t0[0] - c[0], t0[1] - c[1], t0[2] - c[2]}, tt);
        double[] q1 = softmax(new double[] {t1[0] - c[0], t1[1] - c[1], t1[2] - c[2]}, tt);
        double[][] p = {softmax(s[0], ts), softmax(s[1], ts), softmax(s[2], ts)};
        double expected = (ce(q0, p[1]) + ce(q0, p[2]) + ce(q1, p[0]) + ce(q1, p[2])) / 4;
        DinoLoss.Value v = DinoLoss.evaluate(new INDArray[] {row(s[0]), row(s[1]), row(s[2])},
                new INDArray[] {row(t0), row(t1)}, row(c), ts, tt, true);
        assertEquals(expected, v.loss(), 1e-12);
        // gradient of view 2 (a local view, paired with both teachers): ((p2 − q0) + (p2 − q1)) / (4·τs)
        for (int k = 0; k < 3; k++) {
            assertEquals((2 * p[2][k] - q0[k] - q1[k]) / (4 * ts), v.dStudent()[2].getDouble(0, k), 1e-12);
            // view 0 pairs only with teacher 1
            assertEquals((p[0][k] - q1[k]) / (4 * ts), v.dStudent()[0].getDouble(0, k), 1e-12);
        }
        // monitors: mean teacher entropy and mean KL over the pairs
        double h0 = 0;
        double h1 = 0;
        for (int k = 0; k < 3; k++) {
            h0 -= q0[k] * Math.log(q0[k]);
            h1 -= q1[k] * Math.log(q1[k]);
        }
        assertEquals((h0 + h1) / 2, v.teacherEntropy(), 1e-12);
        double kl = (ce(q0, p[1]) - h0 + ce(q0, p[2]) - h0 + ce(q1, p[0]) - h1 + ce(q1, p[2]) - h1) / 4;
        assertEquals(kl, v.klTeacherStudent(), 1e-12);
    }

    /** The centre removes a constant offset and a lower teacher temperature sharpens (entropy falls). */
    @Test
    void centringAndSharpening() {
        INDArray t = row(2.0, 1.0, 0.0);
        INDArray[] s = {row(0, 0, 0), row(0, 0, 0)};
        DinoLoss.Value plain = DinoLoss.evaluate(s, new INDArray[] {t, t}, row(0, 0, 0), 0.1, 1.0, false);
        DinoLoss.Value shifted = DinoLoss.evaluate(s, new INDArray[] {t.add(5), t.add(5)}, row(5, 5, 5), 0.1, 1.0, false);
        assertEquals(plain.loss(), shifted.loss(), 1e-12);
        DinoLoss.Value sharp = DinoLoss.evaluate(s, new INDArray[] {t, t}, row(0, 0, 0), 0.1, 0.04, false);
        assertTrue(sharp.teacherEntropy() < plain.teacherEntropy());
        // centring by the teacher's own output leaves a uniform target: entropy ln 3, and a uniform student has loss ln 3
        DinoLoss.Value centred = DinoLoss.evaluate(s, new INDArray[] {t, t}, t, 0.1, 0.04, false);
        assertEquals(Math.log(3), centred.teacherEntropy(), 1e-12);
        assertEquals(Math.log(3), centred.loss(), 1e-12);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Nd4j.getRandom().setSeed(1);
        int b = 3;
        int k = 5;
        INDArray[] s = new INDArray[4];
        for (int i = 0; i < s.length; i++) {
            s[i] = Nd4j.randn(DataType.DOUBLE, b, k);
        }
        INDArray[] t = {Nd4j.randn(DataType.DOUBLE, b, k), Nd4j.randn(DataType.DOUBLE, b, k)};
        INDArray c = Nd4j.randn(DataType.DOUBLE, 1, k).muli(0.1);
        DinoLoss.Value v = DinoLoss.evaluate(s, t, c, 0.1, 0.07, true);
        for (int view = 0; view < s.length; view++) {
            INDArray x = s[view];
            for (long i = 0; i < x.length(); i++) {
                double numeric = TransformerNetGradientTest.centralDifference(
                        a -> DinoLoss.evaluate(s, t, c, 0.1, 0.07, false).loss(), x, i, 1e-6);
                assertEquals(numeric, v.dStudent()[view].getDouble(i), 1e-8, "view " + view + " element " + i);
            }
        }
    }

    @Test
    void centreUpdateIsTheEmaOfTheTeacherBatchMean() {
        INDArray c = row(1.0, 0.0);
        INDArray t0 = Nd4j.create(new double[][] {{2.0, 4.0}, {0.0, 2.0}});
        INDArray t1 = Nd4j.create(new double[][] {{4.0, 0.0}, {2.0, 2.0}});
        DinoLoss.updateCenter(c, new INDArray[] {t0, t1}, 0.9);
        // batch mean over both views' rows: (2, 2); c = 0.9·(1, 0) + 0.1·(2, 2)
        assertEquals(1.1, c.getDouble(0, 0), 1e-15);
        assertEquals(0.2, c.getDouble(0, 1), 1e-15);
    }
}
