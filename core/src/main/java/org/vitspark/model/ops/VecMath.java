package org.vitspark.model.ops;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD versions of the host kernels' transcendental loops through the JDK's Vector API
 * ({@code jdk.incubator.vector}, which the launchers add with {@code --add-modules}); exp was the largest
 * host-kernel cost (softmax, GELU). Only loaded when {@link FastMath#VECTOR} says the module is present;
 * {@link FastMath} is the scalar fallback.
 * <p>Only plain IEEE lane operations are used, never the API's lane-wise EXP or a floating-point
 * {@code reduceLanes(ADD)}: those may give different bits before and after the JIT compiles a method
 * (SVML vs Java fallback; unspecified reduction order), which made two runs of the same training differ
 * in the last bits depending on JIT timing (docs/decisions.md D22). {@link #exp} is {@link FastMath#exp}
 * lane by lane, bit for bit.
 */
final class VecMath {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final float INV_SQRT2 = 0.70710678118654752f;
    private static final float INV_SQRT_2PI = 0.3989422804014327f;

    private VecMath() {
    }

    /** {@link FastMath#exp} on each lane, with the same operations in the same order (same bits). */
    static FloatVector exp(FloatVector x) {
        FloatVector t = x.mul(FastMath.LOG2E);
        FloatVector m = t.add(FastMath.ROUND);
        FloatVector n = m.sub(FastMath.ROUND);
        // Bit casts and integer lane ops only: the API's F2I/I2F conversions are not compiled to SIMD on
        // JDK 17 and cost more than the whole polynomial (tiny ViT step 57 -> 87 ms when they were used).
        IntVector bits = m.reinterpretAsInts().sub(FastMath.ROUND_BITS - 127).lanewise(VectorOperators.LSHL, 23);
        FloatVector y = t.sub(n).mul(FastMath.LN2);
        FloatVector p = y.mul(1f / 720).add(1f / 120).mul(y).add(1f / 24).mul(y).add(1f / 6).mul(y).add(0.5f).mul(y)
                .add(1f).mul(y).add(1f);
        VectorMask<Float> under = x.compare(VectorOperators.LT, -87f);
        return p.mul(bits.reinterpretAsFloats()).blend(0f, under);
    }

    /**
     * Softmax of {@code row[off..off+n)} in place, shifted by the row maximum for stability. Full vectors, then
     * a scalar tail: JDK 17 runs masked vector loads and stores far slower than plain ones.
     */
    static void softmaxRow(float[] row, int off, int n) {
        int bound = S.loopBound(n);
        float max = Float.NEGATIVE_INFINITY;
        int i = 0;
        if (bound > 0) {
            FloatVector mv = FloatVector.fromArray(S, row, off);
            for (i = S.length(); i < bound; i += S.length()) {
                mv = mv.max(FloatVector.fromArray(S, row, off + i));
            }
            max = mv.reduceLanes(VectorOperators.MAX);
        }
        for (i = bound; i < n; i++) {
            max = Math.max(max, row[off + i]);
        }
        FloatVector acc = FloatVector.zero(S);
        for (i = 0; i < bound; i += S.length()) {
            FloatVector e = exp(FloatVector.fromArray(S, row, off + i).sub(max));
            e.intoArray(row, off + i);
            acc = acc.add(e);
        }
        float sum = laneSum(acc);
        for (i = bound; i < n; i++) {
            float e = FastMath.exp(row[off + i] - max);
            row[off + i] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (i = 0; i < bound; i += S.length()) {
            FloatVector.fromArray(S, row, off + i).mul(inv).intoArray(row, off + i);
        }
        for (i = bound; i < n; i++) {
            row[off + i] *= inv;
        }
    }

    /**
     * y = x·Φ(x) for {@code x[0..n)}, and when {@code slope} is not null also Φ(x) + x·φ(x). Φ through
     * erf by Abramowitz and Stegun 7.1.26 (|error| ≤ 1.5e-7), as in {@link FastMath#phi}; the tail that
     * does not fill a vector goes through the scalar twin.
     */
    static void gelu(float[] x, float[] y, float[] slope, int n) {
        int bound = S.loopBound(n);
        for (int i = 0; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            FloatVector e = exp(v.mul(v).mul(-0.5f));
            FloatVector z = v.abs().mul(INV_SQRT2);
            FloatVector t = FloatVector.broadcast(S, 1f).div(z.fma(FastMath.P, 1f));
            FloatVector poly = t.fma(FastMath.A5, FastMath.A4).mul(t).add(FastMath.A3).mul(t).add(FastMath.A2).mul(t)
                    .add(FastMath.A1).mul(t);
            FloatVector tail = poly.mul(e).mul(0.5f); // = ½(1 − erf(|x|/√2))
            FloatVector cdf = tail.neg().add(1f).blend(tail, v.compare(VectorOperators.LT, 0f));
            v.mul(cdf).intoArray(y, i);
            if (slope != null) {
                v.mul(e).mul(INV_SQRT_2PI).add(cdf).intoArray(slope, i);
            }
        }
        FastMath.gelu(x, y, slope, bound, n);
    }

    /**
     * LayerNorm of one row in place: {@code row} becomes x̂ = (x − μ)·rstd and {@code y} gets x̂·γ + β; returns
     * rstd. Sums run in vector lanes, then over the lanes in lane order ({@link #laneSum}); the tail that does
     * not fill a vector is added after them. {@link FastMath#layerNormRow} is the scalar twin.
     */
    static float layerNormRow(float[] row, float[] g, float[] b, float[] y, int d, double eps) {
        int bound = S.loopBound(d);
        FloatVector acc = FloatVector.zero(S);
        for (int j = 0; j < bound; j += S.length()) {
            acc = acc.add(FloatVector.fromArray(S, row, j));
        }
        float sum = laneSum(acc);
        for (int j = bound; j < d; j++) {
            sum += row[j];
        }
        float mean = sum / d;
        FloatVector sq = FloatVector.zero(S);
        for (int j = 0; j < bound; j += S.length()) {
            FloatVector c = FloatVector.fromArray(S, row, j).sub(mean);
            c.intoArray(row, j);
            sq = sq.add(c.mul(c));
        }
        float sqSum = laneSum(sq);
        for (int j = bound; j < d; j++) {
            float c = row[j] - mean;
            row[j] = c;
            sqSum += c * c;
        }
        float rs = (float) (1.0 / Math.sqrt(sqSum / d + eps));
        for (int j = 0; j < bound; j += S.length()) {
            FloatVector h = FloatVector.fromArray(S, row, j).mul(rs);
            h.intoArray(row, j);
            h.mul(FloatVector.fromArray(S, g, j)).add(FloatVector.fromArray(S, b, j)).intoArray(y, j);
        }
        for (int j = bound; j < d; j++) {
            float h = row[j] * rs;
            row[j] = h;
            y[j] = h * g[j] + b[j];
        }
        return rs;
    }

    /**
     * LayerNorm backward of one row: adds dy·x̂ to {@code dg} and dy to {@code db}, and turns {@code v} (dy on
     * entry) into dx = rstd·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)) with dx̂ = dy·γ.
     */
    static void layerNormBackwardRow(float[] v, float[] h, float[] g, float rs, float[] dg, float[] db, int d) {
        int bound = S.loopBound(d);
        FloatVector s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S);
        for (int j = 0; j < bound; j += S.length()) {
            FloatVector dy = FloatVector.fromArray(S, v, j);
            FloatVector hv = FloatVector.fromArray(S, h, j);
            FloatVector.fromArray(S, dg, j).add(dy.mul(hv)).intoArray(dg, j);
            FloatVector.fromArray(S, db, j).add(dy).intoArray(db, j);
            FloatVector dh = dy.mul(FloatVector.fromArray(S, g, j));
            dh.intoArray(v, j);
            s1 = s1.add(dh);
            s2 = s2.add(dh.mul(hv));
        }
        float m1 = laneSum(s1);
        float m2 = laneSum(s2);
        for (int j = bound; j < d; j++) {
            dg[j] += v[j] * h[j];
            db[j] += v[j];
            float dh = v[j] * g[j];
            v[j] = dh;
            m1 += dh;
            m2 += dh * h[j];
        }
        m1 /= d;
        m2 /= d;
        for (int j = 0; j < bound; j += S.length()) {
            FloatVector dh = FloatVector.fromArray(S, v, j);
            dh.sub(m1).sub(FloatVector.fromArray(S, h, j).mul(m2)).mul(rs).intoArray(v, j);
        }
        for (int j = bound; j < d; j++) {
            v[j] = rs * (v[j] - m1 - h[j] * m2);
        }
    }

    /** a[i] = a[i]·b[i] over [0, n). */
    static void multiply(float[] a, float[] b, int n) {
        int bound = S.loopBound(n);
        for (int i = 0; i < bound; i += S.length()) {
            FloatVector.fromArray(S, a, i).mul(FloatVector.fromArray(S, b, i)).intoArray(a, i);
        }
        for (int i = bound; i < n; i++) {
            a[i] *= b[i];
        }
    }

    /**
     * The sum of v's lanes in lane order: the same bits interpreted or compiled (reduceLanes(ADD) leaves its
     * order unspecified, see above). Lane extraction with the loop's constant indices compiles to register
     * moves; a store to a scratch array and scalar reloads cost more (store-forwarding stalls, measured), as
     * did toArray()'s allocation.
     */
    static float laneSum(FloatVector v) {
        float sum = 0;
        for (int i = 0; i < S.length(); i++) {
            sum += v.lane(i);
        }
        return sum;
    }
}
