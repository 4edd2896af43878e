package org.vitspark.model.ops;

/**
 * Branch-light float exp and normal CDF for the host kernels: Math.exp costs ~8 ns per element
 * (feasibility probe), which made scalar Java GELU slower than ND4J's.
 */
final class FastMath {

    private static final float LOG2E = 1.4426950408889634f;
    private static final float LN2 = 0.6931471805599453f;
    // Abramowitz and Stegun 7.1.26: erf(z) = 1 − (a1·t + … + a5·t⁵)·e^{−z²}, t = 1/(1 + p·z), |error| ≤ 1.5e-7
    private static final float P = 0.3275911f;
    private static final float A1 = 0.254829592f;
    private static final float A2 = -0.284496736f;
    private static final float A3 = 1.421413741f;
    private static final float A4 = -1.453152027f;
    private static final float A5 = 1.061405429f;
    private static final float INV_SQRT2 = 0.70710678118654752f;

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
        int n = (int) Math.floor(t + 0.5f);
        float y = (t - n) * LN2;
        float p = 1f + y * (1f + y * (0.5f + y * (1f / 6 + y * (1f / 24 + y * (1f / 120 + y * (1f / 720))))));
        return p * Float.intBitsToFloat((n + 127) << 23);
    }

    /** Φ(x) given e = e^{−x²/2} (which is e^{−z²} for z = x/√2). */
    static float phi(float x, float e) {
        float z = Math.abs(x) * INV_SQRT2;
        float t = 1f / (1f + P * z);
        float erf = 1f - t * (A1 + t * (A2 + t * (A3 + t * (A4 + t * A5)))) * e;
        return 0.5f * (1f + (x < 0 ? -erf : erf));
    }
}
