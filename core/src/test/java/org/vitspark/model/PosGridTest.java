package org.vitspark.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vitspark.model.ops.Bicubic;

/**
 * The position embedding on a smaller (or larger) patch grid: the bicubic operator equals PyTorch's
 * resize, and a ViT fed images of another size trains its position embedding through the operator's
 * transpose (gradient-checked in double).
 */
public class PosGridTest {

    /** g[k] = sin(0.7k) + 0.1k on a 7×7 grid, row-major. */
    private static INDArray sevenBySeven() {
        double[] g = new double[49];
        for (int k = 0; k < 49; k++) {
            g[k] = Math.sin(0.7 * k) + 0.1 * k;
        }
        return Nd4j.create(g, new long[] {49, 1}, DataType.DOUBLE);
    }

    /**
     * Golden values from PyTorch 1.13 (Debian python3-torch):
     * {@code F.interpolate(g.reshape(1,1,7,7), size=(4,4), mode="bicubic", align_corners=False)}.
     */
    @Test
    void sevenToFourEqualsPytorchBicubic() {
        double[] torch = {0.02251087606452, 1.181040367495111, 1.288162818689718, 0.464373819573643,
            1.154665099883167, 0.736296267686105, 1.644573228431061, 2.929006022816249, 3.604931076602497,
            3.548997668781314, 2.603448055616207, 2.295992734475306, 3.193014990129774, 4.177123754249132,
            5.176393489024226, 5.118694844862553};
        INDArray out = Bicubic.grid(7, 7, 4, 4, DataType.DOUBLE).mmul(sevenBySeven());
        for (int i = 0; i < torch.length; i++) {
            assertEquals(torch[i], out.getDouble(i), 1e-12, "output " + i);
        }
    }

    /** Non-square output and an output sample that lands exactly on an input sample (PyTorch as above, size=(3,5)). */
    @Test
    void sevenToThreeByFiveEqualsPytorchBicubic() {
        double[] torch = {-0.24483191149527, 0.737946345427685, 1.565440845395574, 1.628175787323139,
            0.957049589725761, 2.881888774223334, 2.156906491515051, 1.512432966418497, 1.653952983860749,
            2.628796754402792, 3.049805889116695, 3.964462796149278, 4.884721761398895, 5.108422881037937,
            4.516671516902924};
        INDArray out = Bicubic.grid(7, 7, 3, 5, DataType.DOUBLE).mmul(sevenBySeven());
        for (int i = 0; i < torch.length; i++) {
            assertEquals(torch[i], out.getDouble(i), 1e-12, "output " + i);
        }
    }

    /** Cubic-convolution weights sum to 1 (a constant grid stays constant), and resizing to the same size is the identity. */
    @Test
    void partitionOfUnityAndIdentity() {
        double[][] w = Bicubic.weights(7, 4);
        for (double[] row : w) {
            double s = 0;
            for (double v : row) {
                s += v;
            }
            assertEquals(1.0, s, 1e-15);
        }
        INDArray id = Bicubic.grid(5, 5, 5, 5, DataType.DOUBLE);
        assertEquals(0.0, id.sub(Nd4j.eye(25).castTo(DataType.DOUBLE)).amaxNumber().doubleValue(), 1e-15);
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 12})
    void otherImageSizesGradientCheck(int pixels) {
        Nd4j.getRandom().setSeed(3);
        // 8 px images, patch 4: a 2×2 grid; fed 4 px (1×1) or 12 px (3×3) images
        ModelSpec m = TransformerNetGradientTest.spec("vit-cls");
        TransformerNet net = new TransformerNet(m);
        INDArray params = Nd4j.randn(DataType.DOUBLE, 1, net.layout().total()).muli(0.5);
        INDArray images = Nd4j.rand(DataType.DOUBLE, 2, m.channels(), pixels, pixels);
        INDArray weights = Nd4j.randn(DataType.DOUBLE, 2, m.classes());
        Function<INDArray, Double> loss = p -> net.forward(p, images, true, 5, false).logits().mul(weights)
                .sumNumber().doubleValue();
        Forward f = net.forward(params, images, true, 5, true);
        assertEquals((pixels / 4) * (pixels / 4) + 1, f.pass().tokens());
        INDArray grads = Nd4j.zeros(DataType.DOUBLE, 1, net.layout().total());
        net.backward(params, f, weights, grads, false);
        double worst = 0;
        for (ParamLayout.Entry e : net.layout().entries()) {
            for (long i = e.offset(); i < e.offset() + e.length(); i++) {
                double numeric = TransformerNetGradientTest.centralDifference(loss, params, i, 1e-5);
                worst = Math.max(worst, TransformerNetGradientTest.relError(grads.getDouble(0, i), numeric));
            }
        }
        assertTrue(worst <= 1e-5, "largest relative error " + worst);
        ParamLayout.Entry pos = net.layout().entry("posEmbed");
        assertTrue(grads.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(pos.offset(), pos.offset() + pos.length()))
                .norm2Number().doubleValue() > 0, "the position embedding gets a gradient");
    }

    @Test
    void sizesTheModelCannotTakeAreNamed() {
        ModelSpec m = TransformerNetGradientTest.spec("vit-cls");
        TransformerNet net = new TransformerNet(m);
        INDArray params = Nd4j.zeros(DataType.DOUBLE, 1, net.layout().total());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.forward(params, Nd4j.rand(DataType.DOUBLE, 1, 2, 6, 6), false, 0, false));
        assertTrue(e.getMessage().contains("multiple of its patch (4 px)"), e.getMessage());
        ModelSpec mixer = TransformerNetGradientTest.spec("mixer");
        TransformerNet mnet = new TransformerNet(mixer);
        INDArray mp = Nd4j.zeros(DataType.DOUBLE, 1, mnet.layout().total());
        e = assertThrows(IllegalArgumentException.class,
                () -> mnet.forward(mp, Nd4j.rand(DataType.DOUBLE, 1, 2, 4, 4), false, 0, false));
        assertTrue(e.getMessage().contains("MLP-Mixer"), e.getMessage());
    }
}
