package org.vitspark.augment;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * DINO's multi-crop augmentation (Caron et al. 2021, {@code DataAugmentationDINO}) at a small dataset's
 * resolution (Gani et al. 2022): two global views and N local views of one image, each a random resized
 * crop (aspect 3/4–4/3) of its own scale range and size, then
 * <ul>
 *   <li>every view: horizontal flip (p ½), colour jitter with p 0.8 (brightness and contrast factors
 *       uniform in 1 ± 0.4, saturation 1 ± 0.2, in random order), grayscale with p 0.2;</li>
 *   <li>global view 1: Gaussian blur (p 1); global view 2: blur (p 0.1) and solarisation (p 0.2,
 *       threshold 128); local views: blur (p ½). The blur's σ is uniform in 0.1–2 px, as PIL's radius.</li>
 * </ul>
 * then the normalisation. Differences from the torchvision pipeline: the hue jitter (0.1) is left out,
 * pixels stay float in 0..255 between steps (PIL rounds to 8 bits), and the blur is an exact separable
 * Gaussian (±3σ, edges clamped) rather than PIL's box approximation. On grayscale data saturation,
 * grayscale and hue are no-ops anyway.
 */
public final class DinoViews implements Serializable {

    private static final long serialVersionUID = 1L;

    /** DINO's flip_and_color_jitter: ColorJitter(0.4, 0.4, 0.2, 0.1) applied with p 0.8, grayscale p 0.2. */
    private static final double JITTER_P = 0.8;
    private static final double BRIGHTNESS = 0.4;
    private static final double CONTRAST = 0.4;
    private static final double SATURATION = 0.2;
    private static final double GRAYSCALE_P = 0.2;
    /** GaussianBlur(p, radius_min 0.1, radius_max 2.0); p per view kind below. */
    private static final double BLUR_MIN = 0.1;
    private static final double BLUR_MAX = 2.0;
    private static final double[] GLOBAL_BLUR_P = {1.0, 0.1};
    private static final double LOCAL_BLUR_P = 0.5;
    /** Solarization(p 0.2) on the second global view only; PIL's solarize threshold 128. */
    private static final double SOLARIZE_P = 0.2;
    private static final double SOLARIZE_THRESHOLD = 128;

    private final MultiCrop.View global;
    private final MultiCrop.View local;
    private final int locals;
    private final Pipeline normalize;

    /** @param normalize the normalisation step, e.g. "normalize(half)" (the one the evaluation pipeline ends with) */
    public DinoViews(MultiCrop.View global, MultiCrop.View local, int locals, String normalize) {
        this.global = global;
        this.local = local;
        this.locals = locals;
        this.normalize = Pipeline.parse(normalize);
    }

    /** Two global views, then the local ones, each augmented and normalised. */
    public List<Pixels> apply(Pixels img, SplittableRandom r) {
        List<Pixels> crops = MultiCrop.views(img, global, 2, local, locals, r);
        List<Pixels> out = new ArrayList<>(crops.size());
        for (int i = 0; i < crops.size(); i++) {
            Pixels p = jitter(crops.get(i), r);
            double blurP = i < 2 ? GLOBAL_BLUR_P[i] : LOCAL_BLUR_P;
            if (r.nextDouble() < blurP) {
                p = gaussianBlur(p, BLUR_MIN + r.nextDouble() * (BLUR_MAX - BLUR_MIN));
            }
            if (i == 1 && r.nextDouble() < SOLARIZE_P) {
                p = RandAugment.solarize(p, SOLARIZE_THRESHOLD);
            }
            out.add(normalize.apply(p, p.height(), r));
        }
        return out;
    }

    /** Colour jitter (p 0.8, its factors in random order) then random grayscale (p 0.2). */
    static Pixels jitter(Pixels in, SplittableRandom r) {
        Pixels p = in;
        if (r.nextDouble() < JITTER_P) {
            int[] order = {0, 1, 2};
            for (int i = order.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int op : order) {
                p = switch (op) {
                    case 0 -> RandAugment.blend(RandAugment.constant(p, 0f), p, factor(BRIGHTNESS, r));
                    case 1 -> RandAugment.blend(RandAugment.meanGray(p), p, factor(CONTRAST, r));
                    default -> p.channels() == 3 ? RandAugment.blend(RandAugment.gray(p), p, factor(SATURATION, r)) : p;
                };
            }
        }
        if (r.nextDouble() < GRAYSCALE_P) {
            p = RandAugment.gray(p);
        }
        return p;
    }

    /** torchvision's jitter factor: uniform in [max(0, 1 − s), 1 + s]. */
    private static double factor(double strength, SplittableRandom r) {
        double lo = Math.max(0, 1 - strength);
        return lo + r.nextDouble() * (1 + strength - lo);
    }

    /** Separable Gaussian blur with standard deviation {@code sigma} px, kernel ±⌈3σ⌉, edges clamped. */
    static Pixels gaussianBlur(Pixels in, double sigma) {
        int radius = Math.max(1, (int) Math.ceil(3 * sigma));
        double[] k = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            k[i + radius] = Math.exp(-0.5 * i * i / (sigma * sigma));
            sum += k[i + radius];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        int h = in.height();
        int w = in.width();
        float[] tmp = new float[in.data().length];
        float[] out = new float[in.data().length];
        for (int c = 0; c < in.channels(); c++) {
            int base = c * h * w;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double s = 0;
                    for (int i = -radius; i <= radius; i++) {
                        s += k[i + radius] * in.data()[base + y * w + Math.min(Math.max(x + i, 0), w - 1)];
                    }
                    tmp[base + y * w + x] = (float) s;
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double s = 0;
                    for (int i = -radius; i <= radius; i++) {
                        s += k[i + radius] * tmp[base + Math.min(Math.max(y + i, 0), h - 1) * w + x];
                    }
                    out[base + y * w + x] = (float) s;
                }
            }
        }
        return new Pixels(in.channels(), h, w, out);
    }
}
