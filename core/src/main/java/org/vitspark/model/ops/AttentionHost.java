package org.vitspark.model.ops;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The host kernel for {@link Attention} (float, CPU backend): one small BLAS GEMM per (image, head) that
 * addresses q, k, v, the context and their gradients where they lie, through leading dimensions (3D for
 * the fused qkv rows, D for the context rows), so no head is split out or merged back by a copy; softmax
 * and its backward are Java loops over each score row. Images are split across threads. The ND4J twin
 * (batched matmuls over permuted copies) had 4–5× the run time at ViT-tiny's shapes: its cost was the
 * copies and per-op overhead around ~0.1 GFLOP of arithmetic, not the arithmetic. Heads whose width is whole
 * SIMD vectors go to {@link AttentionSimd} instead, which does without the per-call BLAS overhead.
 */
final class AttentionHost {

    private AttentionHost() {
    }

    static INDArray forward(INDArray qkv, int batch, int tokens, int heads, Attention.Cache[] cacheOut) {
        if (simd((int) qkv.size(1) / 3 / heads)) {
            return AttentionSimd.forward(qkv, batch, tokens, heads, cacheOut);
        }
        return forwardBlas(qkv, batch, tokens, heads, cacheOut);
    }

    /** Whether {@link AttentionSimd} takes heads of this width (whole vectors, Vector API present). */
    static boolean simd(int headWidth) {
        return FastMath.VECTOR && AttentionSimd.fits(headWidth);
    }

    static INDArray forwardBlas(INDArray qkv, int batch, int tokens, int heads, Attention.Cache[] cacheOut) {
        int d = (int) qkv.size(1) / 3;
        int dh = d / heads;
        int t = tokens;
        float scale = (float) (1.0 / Math.sqrt(dh));
        INDArray probs = Arena.uninitialized(DataType.FLOAT, (long) batch * heads, t, t);
        INDArray ctx = Arena.uninitialized(DataType.FLOAT, (long) batch * t, d);
        FloatBuffer pb = Host.buf(probs);
        Host.parallel(batch, (chunk, from, to) -> {
            FloatPointer q = Host.ptr(qkv);
            FloatPointer k = Host.ptr(qkv);
            FloatPointer v = Host.ptr(qkv);
            FloatPointer p = Host.ptr(probs);
            FloatPointer c = Host.ptr(ctx);
            float[] block = new float[t * t];
            for (int b = from; b < to; b++) {
                for (int h = 0; h < heads; h++) {
                    long qo = (long) b * t * 3 * d + (long) h * dh;
                    long so = ((long) b * heads + h) * t * t;
                    // S = scale·Q·Kᵀ, then softmax over each row in place
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, t, t, dh, scale, q.position(qo), 3 * d,
                            k.position(qo + d), 3 * d, 0f, p.position(so), t);
                    softmax(pb, (int) so, block, t);
                    // context rows of this head: P·V, written into columns h·dh… of [B·T, D]
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, t, dh, t, 1f, p.position(so), t,
                            v.position(qo + 2L * d), 3 * d, 0f, c.position((long) b * t * d + (long) h * dh), d);
                }
            }
        });
        Host.keep(qkv, probs, ctx);
        if (cacheOut != null) {
            cacheOut[0] = new Attention.Cache(qkv, null, null, null, probs);
        }
        return ctx;
    }

    static INDArray backward(INDArray dctx, Attention.Cache cache, int batch, int tokens, int heads) {
        return backward(dctx, null, cache, batch, tokens, heads);
    }

    /** @param dProbsExtra [B·H, T, T] added to dP before the softmax backward, or null */
    static INDArray backward(INDArray dctx, INDArray dProbsExtra, Attention.Cache cache, int batch, int tokens,
                             int heads) {
        if (simd((int) dctx.size(1) / heads)) {
            return AttentionSimd.backward(dctx, dProbsExtra, cache, batch, tokens, heads);
        }
        return backwardBlas(dctx, dProbsExtra, cache, batch, tokens, heads);
    }

    static INDArray backwardBlas(INDArray dctx, INDArray dProbsExtra, Attention.Cache cache, int batch, int tokens,
                                 int heads) {
        INDArray qkv = cache.qkv();
        INDArray probs = cache.probs();
        int d = (int) dctx.size(1);
        int dh = d / heads;
        int t = tokens;
        float scale = (float) (1.0 / Math.sqrt(dh));
        INDArray dqkv = Arena.uninitialized(DataType.FLOAT, (long) batch * t, 3L * d);
        INDArray scratch = Arena.uninitialized(DataType.FLOAT, Host.chunks(batch), (long) t * t);
        FloatBuffer pb = Host.buf(probs);
        FloatBuffer sb = Host.buf(scratch);
        INDArray extraCopy = dProbsExtra == null ? null : Arena.copyOf(dProbsExtra);
        FloatBuffer eb = extraCopy == null ? null : Host.buf(extraCopy);
        Host.parallel(batch, (chunk, from, to) -> {
            FloatPointer qkvP = Host.ptr(qkv);
            FloatPointer p = Host.ptr(probs);
            FloatPointer dc = Host.ptr(dctx);
            FloatPointer dq = Host.ptr(dqkv);
            FloatPointer ds = Host.ptr(scratch).position((long) chunk * t * t);
            int dsOff = chunk * t * t;
            float[] pr = new float[t * t];
            float[] dr = new float[t * t];
            float[] er = eb == null ? null : new float[t * t];
            for (int b = from; b < to; b++) {
                for (int h = 0; h < heads; h++) {
                    long qo = (long) b * t * 3 * d + (long) h * dh;
                    long so = ((long) b * heads + h) * t * t;
                    long co = (long) b * t * d + (long) h * dh;
                    // dP = dC·Vᵀ
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, t, t, dh, 1f, dc.position(co), d,
                            qkvP.position(qo + 2L * d), 3 * d, 0f, ds, t);
                    // dV = Pᵀ·dC
                    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, t, dh, t, 1f, p.position(so), t,
                            dc.position(co), d, 0f, dq.position(qo + 2L * d), 3 * d);
                    // dS = scale·P ⊙ (dP − Σ_j dP·P), row by row
                    sb.get(dsOff, dr);
                    pb.get((int) so, pr);
                    if (er != null) {
                        eb.get((int) so, er);
                        for (int j = 0; j < t * t; j++) {
                            dr[j] += er[j];
                        }
                    }
                    for (int i = 0; i < t; i++) {
                        int o = i * t;
                        float dot = 0;
                        for (int j = o; j < o + t; j++) {
                            dot += dr[j] * pr[j];
                        }
                        for (int j = o; j < o + t; j++) {
                            dr[j] = scale * pr[j] * (dr[j] - dot);
                        }
                    }
                    sb.put(dsOff, dr);
                    // dQ = dS·K, dK = dSᵀ·Q
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, t, dh, t, 1f, ds, t,
                            qkvP.position(qo + d), 3 * d, 0f, dq.position(qo), 3 * d);
                    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, t, dh, t, 1f, ds, t,
                            qkvP.position(qo), 3 * d, 0f, dq.position(qo + d), 3 * d);
                }
            }
        });
        Host.keep(qkv, probs, dctx, dqkv, scratch, extraCopy);
        return dqkv;
    }

    /** Row-wise softmax of one head's t×t scores, in place in the buffer (one bulk copy each way). */
    private static void softmax(FloatBuffer buf, int offset, float[] block, int t) {
        buf.get(offset, block);
        for (int i = 0; i < t; i++) {
            if (FastMath.VECTOR) {
                VecMath.softmaxRow(block, i * t, t);
            } else {
                FastMath.softmaxRow(block, i * t, t);
            }
        }
        buf.put(offset, block);
    }
}
