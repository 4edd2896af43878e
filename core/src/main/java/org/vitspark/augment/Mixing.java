package org.vitspark.augment;

import java.util.SplittableRandom;

/**
 * Batch-level Mixup (Zhang et al. 2018) and CutMix (Yun et al. 2019) with soft targets. Each image is mixed
 * with its partner in the reversed batch (timm's choice: no extra permutation to store). CutMix's box is
 * snapped to the ViT patch grid so that every patch comes wholly from one image: the per-image patch mask
 * it returns is what the patch-mixing loss of Gong et al. 2021 needs, and the label weight is the exact
 * pasted fraction.
 */
public final class Mixing {

    private Mixing() {
    }

    /**
     * Mixed images, soft targets [B][classes], and for CutMix the per-image mask over patches (row-major,
     * true = the patch comes from the partner image), else null.
     */
    public record Mixed(Pixels[] images, float[][] targets, boolean[][] patchFromPartner) {
    }

    public static Mixed mixup(Pixels[] images, float[][] targets, double alpha, SplittableRandom r) {
        float lam = (float) beta(alpha, alpha, r);
        int n = images.length;
        Pixels[] out = new Pixels[n];
        for (int i = 0; i < n; i++) {
            Pixels a = images[i];
            Pixels b = images[n - 1 - i];
            float[] d = new float[a.data().length];
            for (int k = 0; k < d.length; k++) {
                d[k] = lam * a.data()[k] + (1 - lam) * b.data()[k];
            }
            out[i] = new Pixels(a.channels(), a.height(), a.width(), d);
        }
        return new Mixed(out, blend(targets, new float[] {lam}, n), null);
    }

    /** CutMix on square images whose side is a multiple of {@code patch}. */
    public static Mixed cutmix(Pixels[] images, float[][] targets, double alpha, int patch, SplittableRandom r) {
        int n = images.length;
        Pixels first = images[0];
        if (first.height() % patch != 0 || first.width() % patch != 0) {
            throw new IllegalArgumentException("image " + first.height() + "x" + first.width()
                    + " is not a multiple of patch " + patch);
        }
        int gh = first.height() / patch;
        int gw = first.width() / patch;
        double lam = beta(alpha, alpha, r);
        // box of area (1 − λ) in patch units, centre uniform on the grid, clipped (Yun et al., section 3.1)
        double cut = Math.sqrt(1 - lam);
        int ch = (int) Math.round(gh * cut);
        int cw = (int) Math.round(gw * cut);
        int cy = r.nextInt(gh);
        int cx = r.nextInt(gw);
        int y0 = Math.max(0, cy - ch / 2);
        int y1 = Math.min(gh, cy - ch / 2 + ch);
        int x0 = Math.max(0, cx - cw / 2);
        int x1 = Math.min(gw, cx - cw / 2 + cw);
        boolean[] mask = new boolean[gh * gw];
        int pasted = 0;
        for (int py = y0; py < y1; py++) {
            for (int px = x0; px < x1; px++) {
                mask[py * gw + px] = true;
                pasted++;
            }
        }
        float keep = 1f - (float) pasted / (gh * gw); // λ corrected to the pasted area
        Pixels[] out = new Pixels[n];
        boolean[][] masks = new boolean[n][];
        for (int i = 0; i < n; i++) {
            Pixels a = images[i];
            Pixels b = images[n - 1 - i];
            float[] d = a.data().clone();
            for (int c = 0; c < a.channels(); c++) {
                for (int y = y0 * patch; y < y1 * patch; y++) {
                    int o = (c * a.height() + y) * a.width();
                    System.arraycopy(b.data(), o + x0 * patch, d, o + x0 * patch, (x1 - x0) * patch);
                }
            }
            out[i] = new Pixels(a.channels(), a.height(), a.width(), d);
            masks[i] = mask.clone();
        }
        return new Mixed(out, blend(targets, new float[] {keep}, n), masks);
    }

    private static float[][] blend(float[][] targets, float[] lam, int n) {
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            float[] a = targets[i];
            float[] b = targets[n - 1 - i];
            out[i] = new float[a.length];
            for (int k = 0; k < a.length; k++) {
                out[i][k] = lam[0] * a[k] + (1 - lam[0]) * b[k];
            }
        }
        return out;
    }

    /** A Beta(a, b) sample from two Gamma samples. */
    static double beta(double a, double b, SplittableRandom r) {
        double x = gamma(a, r);
        double y = gamma(b, r);
        return x / (x + y);
    }

    /** Marsaglia and Tsang (2000); shape < 1 through the boost Gamma(a) = Gamma(a + 1)·U^{1/a}. */
    static double gamma(double shape, SplittableRandom r) {
        if (shape < 1) {
            return gamma(shape + 1, r) * Math.pow(r.nextDouble(), 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = r.nextGaussian();
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = r.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }
}
