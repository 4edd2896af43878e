package org.vitspark.model.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The fused Java kernels (float, CPU) agree with their ND4J-op twins, which CUDA executors and the
 * double-precision gradient checks use.
 */
class HostKernelsTest {

    private static void assertClose(INDArray host, INDArray nd4j, double tol, String what) {
        double scale = Math.max(1.0, nd4j.amaxNumber().doubleValue());
        double diff = host.castTo(DataType.DOUBLE).sub(nd4j.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(diff <= tol * scale, what + ": max difference " + diff + " (scale " + scale + ")");
    }

    @Test
    void layerNormForwardAndBackwardAgree() {
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.randn(DataType.FLOAT, 37, 24).muli(3).addi(1);
        INDArray g = Nd4j.randn(DataType.FLOAT, 24);
        INDArray b = Nd4j.randn(DataType.FLOAT, 24);
        INDArray dy = Nd4j.randn(DataType.FLOAT, 37, 24);
        assertTrue(HostKernels.applies(x), "host kernels are active for float on the CPU backend");
        LayerNorm.Cache[] ch = new LayerNorm.Cache[1];
        LayerNorm.Cache[] cn = new LayerNorm.Cache[1];
        assertClose(LayerNorm.forwardHost(x, g, b, ch), LayerNorm.forwardNd4j(x, g, b, cn), 1e-5, "LN forward");
        INDArray dgH = Nd4j.zeros(DataType.FLOAT, 24);
        INDArray dbH = Nd4j.zeros(DataType.FLOAT, 24);
        INDArray dgN = Nd4j.zeros(DataType.FLOAT, 24);
        INDArray dbN = Nd4j.zeros(DataType.FLOAT, 24);
        assertClose(LayerNorm.backwardHost(dy, ch[0], g, dgH, dbH), LayerNorm.backwardNd4j(dy, cn[0], g, dgN, dbN),
                1e-5, "LN backward dx");
        assertClose(dgH, dgN, 1e-5, "LN dgamma");
        assertClose(dbH, dbN, 1e-5, "LN dbeta");
    }

    @Test
    void geluForwardAndBackwardAgreeOverTheWholeRange() {
        INDArray x = Nd4j.linspace(-40, 40, 8001, DataType.FLOAT).reshape(1, 8001);
        INDArray dy = Nd4j.ones(DataType.FLOAT, 1, 8001);
        INDArray[] slope = new INDArray[1];
        assertClose(Gelu.forwardHost(x, slope), Gelu.forwardNd4j(x), 1e-6, "GELU");
        assertClose(Gelu.backwardHost(dy, x), Gelu.backwardNd4j(dy, x), 2e-6, "GELU'");
        assertClose(slope[0], Gelu.backwardNd4j(dy, x), 2e-6, "GELU' stored by the forward pass");
    }

    @Test
    void vectorKernelsAgreeWithTheScalarOnes() {
        assertTrue(FastMath.VECTOR, "tests run with --add-modules jdk.incubator.vector, as the launchers do");
        int n = 4001; // not a multiple of any vector length: exercises the masked tail
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = -30f + 60f * i / (n - 1);
        }
        float[] yv = new float[n];
        float[] sv = new float[n];
        float[] ys = new float[n];
        float[] ss = new float[n];
        VecMath.gelu(x, yv, sv, n);
        FastMath.gelu(x, ys, ss, 0, n);
        for (int i = 0; i < n; i++) {
            assertTrue(Math.abs(yv[i] - ys[i]) <= 2e-6f * Math.max(1f, Math.abs(ys[i])), "GELU at x=" + x[i]);
            assertTrue(Math.abs(sv[i] - ss[i]) <= 2e-6f, "GELU' at x=" + x[i]);
        }
        for (int len : new int[] {1, 7, 16, 50, 197}) {
            float[] row = new float[len + 3]; // the row sits at offset 3, as inside a head's score block
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) Math.sin(j * 1.7) * 20f;
            }
            float[] scalar = row.clone();
            VecMath.softmaxRow(row, 3, len);
            FastMath.softmaxRow(scalar, 3, len);
            float total = 0;
            for (int j = 3; j < row.length; j++) {
                assertTrue(Math.abs(row[j] - scalar[j]) <= 1e-6f, "softmax length " + len + " at " + j);
                total += row[j];
            }
            assertTrue(Math.abs(total - 1f) <= 1e-5f, "softmax sums to 1 for length " + len);
        }
    }

    /** Random qkv and context gradient, and the caches of both attention kernels' forward passes over them. */
    private record AttentionCase(int batch, int tokens, int heads, INDArray qkv, INDArray dctx, INDArray hostContext,
                                 INDArray nd4jContext, Attention.Cache host, Attention.Cache nd4j) {
        static AttentionCase of(long seed, int batch, int tokens, int heads, int d) {
            Nd4j.getRandom().setSeed(seed);
            INDArray qkv = Nd4j.randn(DataType.FLOAT, batch * tokens, 3 * d);
            INDArray dctx = Nd4j.randn(DataType.FLOAT, batch * tokens, d);
            Attention.Cache[] ch = new Attention.Cache[1];
            Attention.Cache[] cn = new Attention.Cache[1];
            INDArray hostContext = AttentionHost.forward(qkv, batch, tokens, heads, ch);
            INDArray nd4jContext = Attention.forwardNd4j(qkv, batch, tokens, heads, cn);
            return new AttentionCase(batch, tokens, heads, qkv, dctx, hostContext, nd4jContext, ch[0], cn[0]);
        }
    }

    @Test
    void attentionForwardAndBackwardAgree() {
        AttentionCase c = AttentionCase.of(3, 5, 7, 3, 12);
        assertClose(c.hostContext(), c.nd4jContext(), 1e-5, "attention context");
        assertClose(c.host().probs(), c.nd4j().probs(), 1e-6, "attention probabilities");
        assertClose(AttentionHost.backward(c.dctx(), c.host(), c.batch(), c.tokens(), c.heads()),
                Attention.backwardNd4j(c.dctx(), c.nd4j(), c.batch(), c.tokens(), c.heads()), 1e-5, "attention dqkv");
    }

    @Test
    void attentionBackwardWithInjectedProbabilityGradientAgrees() {
        AttentionCase c = AttentionCase.of(5, 3, 5, 2, 8);
        INDArray dProbs = Nd4j.randn(DataType.FLOAT, c.batch() * c.heads(), c.tokens(), c.tokens());
        INDArray host = AttentionHost.backward(c.dctx(), dProbs, c.host(), c.batch(), c.tokens(), c.heads());
        assertClose(host, Attention.backwardNd4j(c.dctx(), dProbs, c.nd4j(), c.batch(), c.tokens(), c.heads()), 1e-5,
                "attention dqkv with a probability gradient");
        INDArray without = AttentionHost.backward(c.dctx(), c.host(), c.batch(), c.tokens(), c.heads());
        assertTrue(host.sub(without).norm2Number().doubleValue() > 1e-3, "the injected gradient changes dqkv");
    }

    @Test
    void simdAttentionAgreesWithBlasAndTheNd4jTwin() {
        assumeTrue(FastMath.VECTOR, "needs --add-modules jdk.incubator.vector");
        int lanes = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        // tokens: fewer than a vector, a row-block tail with padded columns (50 = ViT-tiny), a tail of one;
        // head widths of one and two vectors
        int[][] shapes = {{3, 7, 2, lanes}, {2, 50, 4, lanes}, {2, 17, 3, 2 * lanes}, {1, 9, 1, lanes}};
        for (int[] sh : shapes) {
            int batch = sh[0];
            int tokens = sh[1];
            int heads = sh[2];
            int d = heads * sh[3];
            String what = " (batch " + batch + ", tokens " + tokens + ", heads " + heads + ", width " + sh[3] + ")";
            AttentionCase c = AttentionCase.of(11, batch, tokens, heads, d);
            assertTrue(AttentionHost.simd(sh[3]), "takes the SIMD path" + what);
            Attention.Cache[] cb = new Attention.Cache[1];
            INDArray blas = AttentionHost.forwardBlas(c.qkv(), batch, tokens, heads, cb);
            assertClose(c.hostContext(), blas, 1e-5, "context vs BLAS" + what);
            assertClose(c.hostContext(), c.nd4jContext(), 1e-5, "context vs ND4J" + what);
            assertClose(c.host().probs(), cb[0].probs(), 1e-6, "probabilities vs BLAS" + what);
            INDArray dProbs = Nd4j.randn(DataType.FLOAT, batch * heads, tokens, tokens);
            for (INDArray extra : new INDArray[] {null, dProbs}) {
                String w = (extra == null ? "" : " with a probability gradient") + what;
                INDArray simd = AttentionHost.backward(c.dctx(), extra, c.host(), batch, tokens, heads);
                assertClose(simd, AttentionHost.backwardBlas(c.dctx(), extra, cb[0], batch, tokens, heads), 1e-5,
                        "dqkv vs BLAS" + w);
                assertClose(simd, Attention.backwardNd4j(c.dctx(), extra, c.nd4j(), batch, tokens, heads), 1e-5,
                        "dqkv vs ND4J" + w);
            }
        }
    }

    @Test
    void linearOnParameterViewsAgrees() {
        // Weights are views at an offset inside the flat parameter vector, as in training.
        Nd4j.getRandom().setSeed(4);
        INDArray flat = Nd4j.randn(DataType.FLOAT, 1, 3 + 6 * 4 + 6);
        INDArray w = flat.get(NDArrayIndex.point(0),
                NDArrayIndex.interval(3, 27)).reshape('c', 6, 4);
        INDArray b = flat.get(NDArrayIndex.point(0),
                NDArrayIndex.interval(27, 33));
        INDArray x = Nd4j.randn(DataType.FLOAT, 9, 4);
        INDArray expected = x.mmul(w.transpose()).addRowVector(b);
        assertClose(Linear.forward(x, w, b), expected, 1e-6, "linear forward");
        INDArray dy = Nd4j.randn(DataType.FLOAT, 9, 6);
        INDArray grads = Nd4j.zeros(DataType.FLOAT, 1, 40);
        INDArray dw = grads.get(NDArrayIndex.point(0),
                NDArrayIndex.interval(5, 29)).reshape('c', 6, 4);
        INDArray db = grads.get(NDArrayIndex.point(0),
                NDArrayIndex.interval(29, 35));
        assertClose(Linear.backward(dy, x, w, dw, db, true), dy.mmul(w), 1e-6, "linear dx");
        assertClose(dw, dy.transpose().mmul(x), 1e-6, "linear dW");
        assertClose(db, dy.sum(0), 1e-6, "linear db");
        assertTrue(grads.get(NDArrayIndex.point(0),
                NDArrayIndex.interval(0, 5)).sumNumber().doubleValue() == 0
                && grads.getDouble(0, 35) == 0, "writes stay inside the gradient views");
    }
}
