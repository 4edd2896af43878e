package org.vitspark.model.ops;

import java.nio.FloatBuffer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The attention host kernel in SIMD (Vector API) for per-head widths that are whole vectors (16 at ViT-tiny's
 * and the small ViT's shapes, one AVX-512 vector): each image's q/k/v rows are copied to the heap once, and
 * every product of a head is a register-blocked loop over them. At these sizes (a 50 × 50 × 16 product)
 * one BLAS call per product cost more in call overhead and packing than in arithmetic; {@link AttentionHost}
 * keeps that path for other widths. Sums run over the same terms in a fixed order, so results do not depend
 * on thread count or JIT state; they differ from BLAS's in the last bits (a different summation order).
 * <p>Layouts as in {@link Attention}: qkv [B·T, 3D] with q, k, v each split into heads of D/H columns;
 * probabilities [B·H, T, T]; context [B·T, D].
 */
final class AttentionSimd {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows per register block: four accumulators hide the FMA latency. */
    private static final int RB = 4;

    private AttentionSimd() {
    }

    /** Whether a head of this width is whole vectors. */
    static boolean fits(int headWidth) {
        return headWidth % L == 0;
    }

    static INDArray forward(INDArray qkv, int batch, int t, int heads, Attention.Cache[] cacheOut) {
        int d3 = (int) qkv.size(1);
        int d = d3 / 3;
        int dh = d / heads;
        int tp = padded(t);
        float scale = (float) (1.0 / Math.sqrt(dh));
        VectorMask<Float> pad = S.indexInRange(0, t - (tp - L)).not(); // lanes past the last token
        INDArray probs = Arena.uninitialized(DataType.FLOAT, (long) batch * heads, t, t);
        INDArray ctx = Arena.uninitialized(DataType.FLOAT, (long) batch * t, d);
        FloatBuffer qb = Host.buf(qkv);
        FloatBuffer pb = Host.buf(probs);
        FloatBuffer cb = Host.buf(ctx);
        Host.parallel(batch, (chunk, from, to) -> {
            float[] img = new float[t * d3];
            float[] out = new float[t * d];
            float[] kt = new float[dh * tp]; // columns t..tp stay 0
            float[] s = new float[t * tp];
            float[] p = new float[heads * t * t];
            for (int b = from; b < to; b++) {
                qb.get(b * t * d3, img);
                for (int h = 0; h < heads; h++) {
                    int po = h * t * t;
                    transpose(img, d3, d + h * dh, t, dh, kt, tp);
                    // S = scale·Q·Kᵀ, softmax over each row, P kept unpadded
                    rowsTimesColumns(img, d3, h * dh, t, dh, scale, kt, tp, s);
                    for (int i = 0; i < t; i++) {
                        softmaxPaddedRow(s, i * tp, tp, pad);
                        System.arraycopy(s, i * tp, p, po + i * t, t);
                    }
                    // this head's context columns: P·V
                    weightedRows(p, po, t, t, t, img, d3, 2 * d + h * dh, dh, out, d, h * dh);
                }
                pb.put(b * heads * t * t, p);
                cb.put(b * t * d, out);
            }
        });
        Host.keep(qkv, probs, ctx);
        if (cacheOut != null) {
            cacheOut[0] = new Attention.Cache(qkv, null, null, null, probs);
        }
        return ctx;
    }

    /** @param dProbsExtra [B·H, T, T] added to dP before the softmax backward, or null */
    static INDArray backward(INDArray dctx, INDArray dProbsExtra, Attention.Cache cache, int batch, int t,
                             int heads) {
        INDArray qkv = cache.qkv();
        int d = (int) dctx.size(1);
        int d3 = 3 * d;
        int dh = d / heads;
        int tp = padded(t);
        float scale = (float) (1.0 / Math.sqrt(dh));
        INDArray dqkv = Arena.uninitialized(DataType.FLOAT, (long) batch * t, d3);
        FloatBuffer qb = Host.buf(qkv);
        FloatBuffer pb = Host.buf(cache.probs());
        FloatBuffer cb = Host.buf(dctx);
        FloatBuffer ob = Host.buf(dqkv);
        INDArray extraCopy = dProbsExtra == null ? null : Arena.copyOf(dProbsExtra);
        FloatBuffer eb = extraCopy == null ? null : Host.buf(extraCopy);
        Host.parallel(batch, (chunk, from, to) -> {
            float[] img = new float[t * d3];
            float[] dc = new float[t * d];
            float[] p = new float[heads * t * t];
            float[] extra = eb == null ? null : new float[heads * t * t];
            float[] out = new float[t * d3];
            float[] vt = new float[dh * tp]; // columns t..tp stay 0
            float[] ds = new float[t * tp];
            float[] pp = new float[t * tp]; // one head's P, columns t..tp stay 0
            for (int b = from; b < to; b++) {
                qb.get(b * t * d3, img);
                cb.get(b * t * d, dc);
                pb.get(b * heads * t * t, p);
                if (extra != null) {
                    eb.get(b * heads * t * t, extra);
                }
                for (int h = 0; h < heads; h++) {
                    int po = h * t * t;
                    int qo = h * dh;
                    int ko = d + h * dh;
                    int vo = 2 * d + h * dh;
                    // dP = dC·Vᵀ (plus the injected gradient), then dS = scale·P ⊙ (dP − Σ_j dP·P) in place
                    transpose(img, d3, vo, t, dh, vt, tp);
                    rowsTimesColumns(dc, d, qo, t, dh, 1f, vt, tp, ds);
                    for (int i = 0; i < t; i++) {
                        System.arraycopy(p, po + i * t, pp, i * tp, t);
                        if (extra != null) {
                            for (int j = 0; j < t; j++) {
                                ds[i * tp + j] += extra[po + i * t + j];
                            }
                        }
                        softmaxBackwardRow(ds, pp, i * tp, tp, scale);
                    }
                    // dV = Pᵀ·dC, dQ = dS·K, dK = dSᵀ·Q
                    transposedWeightedRows(pp, 0, tp, t, t, dc, d, qo, dh, out, d3, vo);
                    weightedRows(ds, 0, tp, t, t, img, d3, ko, dh, out, d3, qo);
                    transposedWeightedRows(ds, 0, tp, t, t, img, d3, qo, dh, out, d3, ko);
                }
                ob.put(b * t * d3, out);
            }
        });
        Host.keep(qkv, cache, dctx, dqkv, extraCopy);
        return dqkv;
    }

    private static int padded(int t) {
        return (t + L - 1) / L * L;
    }

    /** dst[c·ld + j] = src[j·stride + off + c] for j < rows, c < cols. */
    private static void transpose(float[] src, int stride, int off, int rows, int cols, float[] dst, int ld) {
        for (int j = 0; j < rows; j++) {
            int s = j * stride + off;
            for (int c = 0; c < cols; c++) {
                dst[c * ld + j] = src[s + c];
            }
        }
    }

    /**
     * out[i·ld + j] = alpha·Σ_c a[i·aStride + aOff + c]·bt[c·ld + j] for i < rows, j < ld (whole vectors): a's
     * rows times the columns of a k × ld matrix stored row by row.
     * <p>This and the two kernels below are one product with different strides, kept as three methods: one
     * method with the strides as parameters ran the small ViT's attention backward ~8% slower (2.53–2.65 →
     * 2.72–2.86 ms, OpBench, alternating runs).
     */
    private static void rowsTimesColumns(float[] a, int aStride, int aOff, int rows, int k, float alpha, float[] bt,
                                         int ld, float[] out) {
        int i = 0;
        for (; i + RB <= rows; i += RB) {
            int a0 = i * aStride + aOff;
            int a1 = a0 + aStride;
            int a2 = a1 + aStride;
            int a3 = a2 + aStride;
            for (int j = 0; j < ld; j += L) {
                FloatVector c0 = FloatVector.zero(S);
                FloatVector c1 = c0;
                FloatVector c2 = c0;
                FloatVector c3 = c0;
                for (int c = 0; c < k; c++) {
                    FloatVector bv = FloatVector.fromArray(S, bt, c * ld + j);
                    c0 = FloatVector.broadcast(S, a[a0 + c]).fma(bv, c0);
                    c1 = FloatVector.broadcast(S, a[a1 + c]).fma(bv, c1);
                    c2 = FloatVector.broadcast(S, a[a2 + c]).fma(bv, c2);
                    c3 = FloatVector.broadcast(S, a[a3 + c]).fma(bv, c3);
                }
                int o = i * ld + j;
                c0.mul(alpha).intoArray(out, o);
                c1.mul(alpha).intoArray(out, o + ld);
                c2.mul(alpha).intoArray(out, o + 2 * ld);
                c3.mul(alpha).intoArray(out, o + 3 * ld);
            }
        }
        for (; i < rows; i++) {
            int a0 = i * aStride + aOff;
            for (int j = 0; j < ld; j += L) {
                FloatVector c0 = FloatVector.zero(S);
                for (int c = 0; c < k; c++) {
                    c0 = FloatVector.broadcast(S, a[a0 + c]).fma(FloatVector.fromArray(S, bt, c * ld + j), c0);
                }
                c0.mul(alpha).intoArray(out, i * ld + j);
            }
        }
    }

    /**
     * out[i·oStride + oOff + c] = Σ_j w[wOff + i·wStride + j]·src[j·sStride + sOff + c] for i < rows, j < n,
     * c < k (whole vectors): a weighted sum of src's rows per row of w.
     */
    private static void weightedRows(float[] w, int wOff, int wStride, int rows, int n, float[] src, int sStride,
                                     int sOff, int k, float[] out, int oStride, int oOff) {
        int i = 0;
        for (; i + RB <= rows; i += RB) {
            int w0 = wOff + i * wStride;
            int w1 = w0 + wStride;
            int w2 = w1 + wStride;
            int w3 = w2 + wStride;
            for (int c = 0; c < k; c += L) {
                FloatVector c0 = FloatVector.zero(S);
                FloatVector c1 = c0;
                FloatVector c2 = c0;
                FloatVector c3 = c0;
                for (int j = 0; j < n; j++) {
                    FloatVector sv = FloatVector.fromArray(S, src, j * sStride + sOff + c);
                    c0 = FloatVector.broadcast(S, w[w0 + j]).fma(sv, c0);
                    c1 = FloatVector.broadcast(S, w[w1 + j]).fma(sv, c1);
                    c2 = FloatVector.broadcast(S, w[w2 + j]).fma(sv, c2);
                    c3 = FloatVector.broadcast(S, w[w3 + j]).fma(sv, c3);
                }
                int o = i * oStride + oOff + c;
                c0.intoArray(out, o);
                c1.intoArray(out, o + oStride);
                c2.intoArray(out, o + 2 * oStride);
                c3.intoArray(out, o + 3 * oStride);
            }
        }
        for (; i < rows; i++) {
            int w0 = wOff + i * wStride;
            for (int c = 0; c < k; c += L) {
                FloatVector c0 = FloatVector.zero(S);
                for (int j = 0; j < n; j++) {
                    c0 = FloatVector.broadcast(S, w[w0 + j]).fma(FloatVector.fromArray(S, src, j * sStride + sOff + c), c0);
                }
                c0.intoArray(out, i * oStride + oOff + c);
            }
        }
    }

    /**
     * out[j·oStride + oOff + c] = Σ_i w[wOff + i·wStride + j]·src[i·sStride + sOff + c] for j < cols, i < rows,
     * c < k (whole vectors): the same with w transposed.
     */
    private static void transposedWeightedRows(float[] w, int wOff, int wStride, int rows, int cols, float[] src,
                                               int sStride, int sOff, int k, float[] out, int oStride, int oOff) {
        int j = 0;
        for (; j + RB <= cols; j += RB) {
            for (int c = 0; c < k; c += L) {
                FloatVector c0 = FloatVector.zero(S);
                FloatVector c1 = c0;
                FloatVector c2 = c0;
                FloatVector c3 = c0;
                for (int i = 0; i < rows; i++) {
                    FloatVector sv = FloatVector.fromArray(S, src, i * sStride + sOff + c);
                    int wi = wOff + i * wStride + j;
                    c0 = FloatVector.broadcast(S, w[wi]).fma(sv, c0);
                    c1 = FloatVector.broadcast(S, w[wi + 1]).fma(sv, c1);
                    c2 = FloatVector.broadcast(S, w[wi + 2]).fma(sv, c2);
                    c3 = FloatVector.broadcast(S, w[wi + 3]).fma(sv, c3);
                }
                int o = j * oStride + oOff + c;
                c0.intoArray(out, o);
                c1.intoArray(out, o + oStride);
                c2.intoArray(out, o + 2 * oStride);
                c3.intoArray(out, o + 3 * oStride);
            }
        }
        for (; j < cols; j++) {
            for (int c = 0; c < k; c += L) {
                FloatVector c0 = FloatVector.zero(S);
                for (int i = 0; i < rows; i++) {
                    c0 = FloatVector.broadcast(S, w[wOff + i * wStride + j]).fma(FloatVector.fromArray(S, src, i * sStride + sOff + c), c0);
                }
                c0.intoArray(out, j * oStride + oOff + c);
            }
        }
    }

    /**
     * Softmax of one padded score row in place: the lanes of the last vector that {@code pad} marks are
     * treated as −∞ and come out exactly 0, so every step is whole vectors. Shifted by the row maximum;
     * {@link VecMath#exp} lane by lane; {@link VecMath#laneSum}.
     */
    private static void softmaxPaddedRow(float[] s, int off, int tp, VectorMask<Float> pad) {
        int last = off + tp - L;
        FloatVector.fromArray(S, s, last).blend(-1e30f, pad).intoArray(s, last);
        FloatVector mv = FloatVector.fromArray(S, s, off);
        for (int j = L; j < tp; j += L) {
            mv = mv.max(FloatVector.fromArray(S, s, off + j));
        }
        float max = mv.reduceLanes(VectorOperators.MAX); // exact whatever the order
        FloatVector acc = FloatVector.zero(S);
        for (int j = 0; j < tp; j += L) {
            FloatVector e = VecMath.exp(FloatVector.fromArray(S, s, off + j).sub(max));
            e.intoArray(s, off + j);
            acc = acc.add(e);
        }
        float inv = 1f / VecMath.laneSum(acc);
        for (int j = 0; j < tp; j += L) {
            FloatVector.fromArray(S, s, off + j).mul(inv).intoArray(s, off + j);
        }
    }

    /**
     * One padded row of the softmax backward, in place over dP: ds[j] = scale·p[j]·(dP[j] − Σ_j dP·p). Padded
     * columns hold p = 0 and contribute nothing.
     */
    private static void softmaxBackwardRow(float[] ds, float[] p, int off, int tp, float scale) {
        FloatVector acc = FloatVector.zero(S);
        for (int j = 0; j < tp; j += L) {
            acc = FloatVector.fromArray(S, ds, off + j).fma(FloatVector.fromArray(S, p, off + j), acc);
        }
        float dot = VecMath.laneSum(acc);
        for (int j = 0; j < tp; j += L) {
            FloatVector pv = FloatVector.fromArray(S, p, off + j);
            FloatVector.fromArray(S, ds, off + j).sub(dot).mul(pv).mul(scale).intoArray(ds, off + j);
        }
    }
}
