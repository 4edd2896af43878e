package org.vitspark.model.ops;

/**
 * Branch-light float exp and normal CDF for the host kernels: Math.exp costs ~8-13 ns per element
 * (feasibility probe, and here), which made scalar Java GELU slower than ND4J's. The scalar fallback of
 * {@link VecMath}.
 */
final class FastMath {

    /**
     * Whether the Vector API module is present ({@code --add-modules jdk.incubator.vector}, which the
     * launchers and the build pass): then {@link VecMath} runs the transcendental loops, else these scalars.
     */
    static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    static final float LOG2E = 1.4426950408889634f;
    static final float LN2 = 0.6931471805599453f;
    /** 1.5·2^23: for |t| < 2^22, t + ROUND rounds t to an integer held in the low mantissa bits. */
    static final float ROUND = 12582912f;
    static final int ROUND_BITS = 0x4B400000;
    // Abramowitz and Stegun 7.1.26: erf(z) = 1 − (a1·t + … + a5·t⁵)·e^{−z²}, t = 1/(1 + p·z), |error| ≤ 1.5e-7
    static final float P = 0.3275911f;
    static final float A1 = 0.254829592f;
    static final float A2 = -0.284496736f;
    static final float A3 = 1.421413741f;
    static final float A4 = -1.453152027f;
    static final float A5 = 1.061405429f;
    private static final float INV_SQRT2 = 0.70710678118654752f;
    private static final float INV_SQRT_2PI = 0.3989422804014327f;

    private FastMath() {
    }

    /**
     * e^x for x ≤ 0 down to −87 (0 below): 2^n·e^{f·ln2} with |f| ≤ ½ and a degree-6 Taylor polynomial,
     * relative error ≤ 2e-7.
     */
    static float exp(float x) {
        if (x < -87f) {
            return 0f;
        }
        float t = x * LOG2E;
        // n = t rounded to nearest by the 1.5·2^23 trick: adding it leaves n in the low mantissa bits, so
        // the integer comes from a bit cast, not a conversion (VecMath#exp does the same lane-wise).
        float m = t + ROUND;
        float n = m - ROUND;
        int k = Float.floatToRawIntBits(m) - ROUND_BITS;
        float y = (t - n) * LN2;
        float p = 1f + y * (1f + y * (0.5f + y * (1f / 6 + y * (1f / 24 + y * (1f / 120 + y * (1f / 720))))));
        return p * Float.intBitsToFloat((k + 127) << 23);
    }

    /** Φ(x) given e = e^{−x²/2} (which is e^{−z²} for z = x/√2). */
    static float phi(float x, float e) {
        float z = Math.abs(x) * INV_SQRT2;
        float t = 1f / (1f + P * z);
        float erf = 1f - t * (A1 + t * (A2 + t * (A3 + t * (A4 + t * A5)))) * e;
        return 0.5f * (1f + (x < 0 ? -erf : erf));
    }

    /** Scalar twin of {@link VecMath#gelu}, over elements [from, to). */
    static void gelu(float[] x, float[] y, float[] slope, int from, int to) {
        for (int i = from; i < to; i++) {
            float xi = x[i];
            float e = exp(-0.5f * xi * xi); // shared by Φ (through erf) and φ
            float cdf = phi(xi, e);
            y[i] = xi * cdf;
            if (slope != null) {
                slope[i] = cdf + xi * e * INV_SQRT_2PI;
            }
        }
    }

    /** Scalar twin of {@link VecMath#softmaxRow}. */
    static void softmaxRow(float[] row, int off, int n) {
        float max = row[off];
        for (int j = 1; j < n; j++) {
            max = Math.max(max, row[off + j]);
        }
        float sum = 0;
        for (int j = 0; j < n; j++) {
            float e = exp(row[off + j] - max);
            row[off + j] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int j = 0; j < n; j++) {
            row[off + j] *= inv;
        }
    }

    /** Scalar twin of {@link VecMath#layerNormRow}. */
    static float layerNormRow(float[] row, float[] g, float[] b, float[] y, int d, double eps) {
        float sum = 0;
        for (int j = 0; j < d; j++) {
            sum += row[j];
        }
        float mean = sum / d;
        float sq = 0;
        for (int j = 0; j < d; j++) {
            float c = row[j] - mean;
            row[j] = c;
            sq += c * c;
        }
        float rs = (float) (1.0 / Math.sqrt(sq / d + eps));
        for (int j = 0; j < d; j++) {
            float h = row[j] * rs;
            row[j] = h;
            y[j] = h * g[j] + b[j];
        }
        return rs;
    }

    /** Scalar twin of {@link VecMath#layerNormBackwardRow}. */
    static void layerNormBackwardRow(float[] v, float[] h, float[] g, float rs, float[] dg, float[] db, int d) {
        float m1 = 0;
        float m2 = 0;
        for (int j = 0; j < d; j++) {
            dg[j] += v[j] * h[j];
            db[j] += v[j];
            float dh = v[j] * g[j];
            v[j] = dh;
            m1 += dh;
            m2 += dh * h[j];
        }
        m1 /= d;
        m2 /= d;
        for (int j = 0; j < d; j++) {
            v[j] = rs * (v[j] - m1 - h[j] * m2);
        }
    }
}
