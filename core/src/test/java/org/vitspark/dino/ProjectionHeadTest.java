package org.vitspark.dino;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vitspark.model.ParamLayout;
import org.vitspark.model.TransformerNetGradientTest;

/** The projection head with its weight-normalised prototype layer, gradient-checked in double. */
public class ProjectionHeadTest {

    @Test
    void gradientsThroughBothNormalisationsMatchFiniteDifferences() {
        Nd4j.getRandom().setSeed(4);
        ProjectionHead head = new ProjectionHead("p.", 6, 7, 5, 9);
        ParamLayout layout = ParamLayout.of(head.params());
        INDArray params = Nd4j.randn(DataType.DOUBLE, 1, layout.total()).muli(0.5);
        Map<String, INDArray> p = layout.views(params);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 4, 6);
        INDArray r = Nd4j.randn(DataType.DOUBLE, 4, 9);
        ProjectionHead.Cache[] c = new ProjectionHead.Cache[1];
        INDArray logits = head.forward(x, p, c);
        assertTrue(logits.amaxNumber().doubleValue() <= 1 + 1e-12, "logits are cosines");
        INDArray grads = Nd4j.zeros(DataType.DOUBLE, 1, layout.total());
        INDArray dx = head.backward(r, c[0], p, layout.views(grads));
        for (long i = 0; i < layout.total(); i++) {
            double numeric = TransformerNetGradientTest.centralDifference(
                    a -> head.forward(x, layout.views(a), null).mul(r).sumNumber().doubleValue(), params, i, 1e-6);
            assertEquals(numeric, grads.getDouble(0, i), 1e-8 * Math.max(1, Math.abs(numeric)), "parameter " + i);
        }
        for (long i = 0; i < x.length(); i++) {
            double numeric = TransformerNetGradientTest.centralDifference(
                    a -> head.forward(a, p, null).mul(r).sumNumber().doubleValue(), x, i, 1e-6);
            assertEquals(numeric, dx.getDouble(i), 1e-8, "input " + i);
        }
    }

    /** The gain is 1: scaling a prototype row does not change the logits, and its gradient is orthogonal to it. */
    @Test
    void prototypeScaleDoesNotMatterAndItsGradientIsOrthogonal() {
        Nd4j.getRandom().setSeed(5);
        ProjectionHead head = new ProjectionHead("", 4, 6, 3, 5);
        ParamLayout layout = ParamLayout.of(head.params());
        INDArray params = Nd4j.randn(DataType.DOUBLE, 1, layout.total());
        Map<String, INDArray> p = layout.views(params);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 2, 4);
        INDArray before = head.forward(x, p, null);
        p.get(head.lastLayer()).getRow(2).muli(7.5);
        assertEquals(0, head.forward(x, p, null).sub(before).amaxNumber().doubleValue(), 1e-12);
        ProjectionHead.Cache[] c = new ProjectionHead.Cache[1];
        head.forward(x, p, c);
        INDArray grads = Nd4j.zeros(DataType.DOUBLE, 1, layout.total());
        head.backward(Nd4j.randn(DataType.DOUBLE, 2, 5), c[0], p, layout.views(grads));
        INDArray v = p.get(head.lastLayer());
        INDArray dv = layout.views(grads).get(head.lastLayer());
        for (int k = 0; k < 5; k++) {
            assertEquals(0, v.getRow(k).mul(dv.getRow(k)).sumNumber().doubleValue(), 1e-12);
        }
    }
}
