package org.vitspark.augment;

import java.util.SplittableRandom;

/**
 * RandAugment (Cubuk et al. 2020): {@code n} operations drawn uniformly with replacement from 14, each at
 * one global magnitude {@code m} on a 0–10 scale (timm's level denominator). Ranges at m = 10 follow the
 * paper / timm: rotate ±30°, shear ±0.3, translate ±45% of the side, enhance factors 1 ± 0.9, solarize
 * threshold down to 0, posterize down to 4 bits; geometric ops fill with 128 (timm's default fill).
 * Works on 0..255 pixels, before normalisation; results stay in 0..255.
 */
public final class RandAugment {

    /** The operation names, in draw order. */
    public static final String[] OPS = {"identity", "autocontrast", "equalize", "rotate", "solarize", "color",
        "posterize", "contrast", "brightness", "sharpness", "shear-x", "shear-y", "translate-x", "translate-y"};
    static final float FILL = 128f;

    private RandAugment() {
    }

    public static Pixels apply(Pixels in, int n, double m, SplittableRandom r) {
        Pixels out = in;
        for (int i = 0; i < n; i++) {
            out = op(OPS[r.nextInt(OPS.length)], out, m / 10.0, r);
        }
        return out;
    }

    /** One operation at magnitude {@code level} in [0, 1]; signed ranges take a random sign from {@code r}. */
    static Pixels op(String name, Pixels in, double level, SplittableRandom r) {
        return switch (name) {
            case "identity" -> in;
            case "autocontrast" -> autoContrast(in);
            case "equalize" -> equalize(in);
            case "rotate" -> rotate(in, signed(30 * level, r));
            case "solarize" -> solarize(in, 256 - 256 * level);
            case "color" -> blend(gray(in), in, 1 + signed(0.9 * level, r));
            case "posterize" -> posterize(in, 8 - (int) Math.round(4 * level));
            case "contrast" -> blend(meanGray(in), in, 1 + signed(0.9 * level, r));
            case "brightness" -> blend(constant(in, 0f), in, 1 + signed(0.9 * level, r));
            case "sharpness" -> blend(smooth(in), in, 1 + signed(0.9 * level, r));
            case "shear-x" -> Geometry.affine(in, 1, signed(0.3 * level, r), 0, 0, 1, 0, FILL);
            case "shear-y" -> Geometry.affine(in, 1, 0, 0, signed(0.3 * level, r), 1, 0, FILL);
            case "translate-x" -> Geometry.affine(in, 1, 0, signed(0.45 * level, r) * in.width(), 0, 1, 0, FILL);
            case "translate-y" -> Geometry.affine(in, 1, 0, 0, 0, 1, signed(0.45 * level, r) * in.height(), FILL);
            default -> throw new IllegalArgumentException("unknown RandAugment op " + name);
        };
    }

    private static double signed(double v, SplittableRandom r) {
        return r.nextBoolean() ? v : -v;
    }

    static Pixels rotate(Pixels in, double degrees) {
        double t = Math.toRadians(degrees);
        // PIL's inverse map with y pointing down: positive angles turn the picture counter-clockwise
        return Geometry.affine(in, Math.cos(t), -Math.sin(t), 0, Math.sin(t), Math.cos(t), 0, FILL);
    }

    /** Per channel, stretch [min, max] to [0, 255] (constant channels stay as they are). */
    static Pixels autoContrast(Pixels in) {
        float[] out = in.data().clone();
        int plane = in.height() * in.width();
        for (int c = 0; c < in.channels(); c++) {
            float lo = Float.MAX_VALUE;
            float hi = -Float.MAX_VALUE;
            for (int i = c * plane; i < (c + 1) * plane; i++) {
                lo = Math.min(lo, out[i]);
                hi = Math.max(hi, out[i]);
            }
            if (hi > lo) {
                float scale = 255f / (hi - lo);
                for (int i = c * plane; i < (c + 1) * plane; i++) {
                    out[i] = (out[i] - lo) * scale;
                }
            }
        }
        return new Pixels(in.channels(), in.height(), in.width(), out);
    }

    /** Per-channel histogram equalisation on the 256 integer levels (PIL ImageOps.equalize's rule). */
    static Pixels equalize(Pixels in) {
        float[] out = new float[in.data().length];
        int plane = in.height() * in.width();
        for (int c = 0; c < in.channels(); c++) {
            int[] hist = new int[256];
            for (int i = c * plane; i < (c + 1) * plane; i++) {
                hist[level(in.data()[i])]++;
            }
            int last = 255;
            while (last > 0 && hist[last] == 0) {
                last--;
            }
            int step = (plane - hist[last]) / 255;
            if (step == 0) {
                System.arraycopy(in.data(), c * plane, out, c * plane, plane);
                continue;
            }
            int[] lut = new int[256];
            int n = step / 2;
            for (int v = 0; v < 256; v++) {
                lut[v] = Math.min(255, n / step);
                n += hist[v];
            }
            for (int i = c * plane; i < (c + 1) * plane; i++) {
                out[i] = lut[level(in.data()[i])];
            }
        }
        return new Pixels(in.channels(), in.height(), in.width(), out);
    }

    static Pixels solarize(Pixels in, double threshold) {
        float[] out = in.data().clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] >= threshold) {
                out[i] = 255f - out[i];
            }
        }
        return new Pixels(in.channels(), in.height(), in.width(), out);
    }

    /** Keep the top {@code bits} bits of each 8-bit level. */
    static Pixels posterize(Pixels in, int bits) {
        int mask = ~((1 << (8 - bits)) - 1) & 0xFF;
        float[] out = new float[in.data().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = level(in.data()[i]) & mask;
        }
        return new Pixels(in.channels(), in.height(), in.width(), out);
    }

    /** PIL ImageEnhance: {@code degenerate + factor·(image − degenerate)}, clamped to 0..255. */
    static Pixels blend(Pixels degenerate, Pixels in, double factor) {
        float[] out = new float[in.data().length];
        float f = (float) factor;
        for (int i = 0; i < out.length; i++) {
            float d = degenerate.data()[i];
            out[i] = Math.max(0f, Math.min(255f, d + f * (in.data()[i] - d)));
        }
        return new Pixels(in.channels(), in.height(), in.width(), out);
    }

    /** ITU-R 601 luma (PIL's "L" conversion) in every channel. */
    static Pixels gray(Pixels in) {
        if (in.channels() != 3) {
            return in;
        }
        int plane = in.height() * in.width();
        float[] out = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            float l = 0.299f * in.data()[i] + 0.587f * in.data()[plane + i] + 0.114f * in.data()[2 * plane + i];
            out[i] = l;
            out[plane + i] = l;
            out[2 * plane + i] = l;
        }
        return new Pixels(3, in.height(), in.width(), out);
    }

    /** Every pixel at the image's mean luma (PIL ImageEnhance.Contrast's degenerate image). */
    static Pixels meanGray(Pixels in) {
        float[] g = gray(in).data();
        double sum = 0;
        int plane = in.height() * in.width();
        for (int i = 0; i < plane; i++) {
            sum += g[i];
        }
        return constant(in, (float) Math.floor(sum / plane + 0.5));
    }

    static Pixels constant(Pixels like, float v) {
        float[] out = new float[like.data().length];
        java.util.Arrays.fill(out, v);
        return new Pixels(like.channels(), like.height(), like.width(), out);
    }

    /** PIL's SMOOTH filter (3×3, centre 5, others 1, /13) inside, the border unchanged (ImageEnhance.Sharpness). */
    static Pixels smooth(Pixels in) {
        int h = in.height();
        int w = in.width();
        float[] out = in.data().clone();
        for (int c = 0; c < in.channels(); c++) {
            for (int y = 1; y < h - 1; y++) {
                for (int x = 1; x < w - 1; x++) {
                    float s = 4 * in.get(c, y, x);
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            s += in.get(c, y + dy, x + dx);
                        }
                    }
                    out[(c * h + y) * w + x] = s / 13f;
                }
            }
        }
        return new Pixels(in.channels(), h, w, out);
    }

    private static int level(float v) {
        return Math.max(0, Math.min(255, (int) v));
    }
}
