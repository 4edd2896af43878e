package org.vitspark.augment;

import java.util.SplittableRandom;

/**
 * Crops, resampling and flips as pure functions of (image, generator). Crop boxes follow torchvision's
 * definitions, so augmentation statistics match the papers' PyTorch pipelines.
 */
public final class Geometry {

    private Geometry() {
    }

    /** A crop box in source pixels: top-left corner and size. */
    public record Box(double top, double left, double height, double width) {
    }

    /**
     * Inception-style random-resized-crop box (Szegedy et al. 2015; torchvision's RandomResizedCrop): area a
     * uniform fraction in [minArea, maxArea] of the image, aspect ratio log-uniform in [minRatio, maxRatio],
     * up to 10 tries, then the whole image clamped to the ratio range, centred.
     */
    public static Box randomResizedCrop(int height, int width, double minArea, double maxArea, double minRatio,
                                        double maxRatio, SplittableRandom r) {
        double area = (double) height * width;
        double logMin = Math.log(minRatio);
        double logMax = Math.log(maxRatio);
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * (minArea + r.nextDouble() * (maxArea - minArea));
            double ratio = Math.exp(logMin + r.nextDouble() * (logMax - logMin));
            int w = (int) Math.round(Math.sqrt(target * ratio));
            int h = (int) Math.round(Math.sqrt(target / ratio));
            if (w > 0 && h > 0 && w <= width && h <= height) {
                int top = r.nextInt(height - h + 1);
                int left = r.nextInt(width - w + 1);
                return new Box(top, left, h, w);
            }
        }
        double inRatio = (double) width / height;
        double w;
        double h;
        if (inRatio < minRatio) {
            w = width;
            h = Math.round(w / minRatio);
        } else if (inRatio > maxRatio) {
            h = height;
            w = Math.round(h * maxRatio);
        } else {
            w = width;
            h = height;
        }
        return new Box((height - h) / 2, (width - w) / 2, h, w);
    }

    /** The centre box of the given size (the eval crop after resizing the shorter side). */
    public static Box center(int height, int width, int cropH, int cropW) {
        return new Box((height - cropH) / 2.0, (width - cropW) / 2.0, cropH, cropW);
    }

    /**
     * The box resampled to outH×outW with bilinear interpolation at pixel centres (align-corners false,
     * as PyTorch's resize); coordinates outside the image clamp to the edge.
     */
    public static Pixels resample(Pixels in, Box box, int outH, int outW) {
        float[] out = new float[in.channels() * outH * outW];
        double sy = box.height() / outH;
        double sx = box.width() / outW;
        for (int y = 0; y < outH; y++) {
            double fy = box.top() + (y + 0.5) * sy - 0.5;
            int y0 = clamp((int) Math.floor(fy), in.height());
            int y1 = clamp((int) Math.floor(fy) + 1, in.height());
            float wy = (float) (fy - Math.floor(fy));
            for (int x = 0; x < outW; x++) {
                double fx = box.left() + (x + 0.5) * sx - 0.5;
                int x0 = clamp((int) Math.floor(fx), in.width());
                int x1 = clamp((int) Math.floor(fx) + 1, in.width());
                float wx = (float) (fx - Math.floor(fx));
                for (int c = 0; c < in.channels(); c++) {
                    float top = in.get(c, y0, x0) * (1 - wx) + in.get(c, y0, x1) * wx;
                    float bottom = in.get(c, y1, x0) * (1 - wx) + in.get(c, y1, x1) * wx;
                    out[(c * outH + y) * outW + x] = top * (1 - wy) + bottom * wy;
                }
            }
        }
        return new Pixels(in.channels(), outH, outW, out);
    }

    /** Mirror left-right with probability p. */
    public static Pixels flip(Pixels in, double p, SplittableRandom r) {
        if (r.nextDouble() >= p) {
            return in;
        }
        int w = in.width();
        float[] out = new float[in.data().length];
        for (int row = 0; row < in.channels() * in.height(); row++) {
            int o = row * w;
            for (int x = 0; x < w; x++) {
                out[o + x] = in.data()[o + w - 1 - x];
            }
        }
        return new Pixels(in.channels(), in.height(), w, out);
    }

    /**
     * "Random crop with padding" (the CIFAR recipe): zero-pad {@code pad} pixels on every side, then crop
     * the original size at a uniform offset.
     */
    public static Pixels padCrop(Pixels in, int pad, SplittableRandom r) {
        int dy = r.nextInt(2 * pad + 1) - pad;
        int dx = r.nextInt(2 * pad + 1) - pad;
        int h = in.height();
        int w = in.width();
        float[] out = new float[in.data().length];
        for (int c = 0; c < in.channels(); c++) {
            for (int y = 0; y < h; y++) {
                int sy = y + dy;
                if (sy < 0 || sy >= h) {
                    continue;
                }
                for (int x = 0; x < w; x++) {
                    int sx = x + dx;
                    if (sx >= 0 && sx < w) {
                        out[(c * h + y) * w + x] = in.get(c, sy, sx);
                    }
                }
            }
        }
        return new Pixels(in.channels(), h, w, out);
    }

    /**
     * An affine warp about the image centre: output pixel (x, y), measured from the centre, samples the input
     * at {@code (a·x + b·y + tx, c·x + d·y + ty)} bilinearly; points outside the image take {@code fill}
     * (PIL's affine transform convention, as RandAugment's rotate/shear/translate use it).
     */
    public static Pixels affine(Pixels in, double a, double b, double tx, double c, double d, double ty, float fill) {
        int h = in.height();
        int w = in.width();
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        float[] out = new float[in.data().length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double sx = a * (x - cx) + b * (y - cy) + tx + cx;
                double sy = c * (x - cx) + d * (y - cy) + ty + cy;
                int x0 = (int) Math.floor(sx);
                int y0 = (int) Math.floor(sy);
                float wx = (float) (sx - x0);
                float wy = (float) (sy - y0);
                for (int ch = 0; ch < in.channels(); ch++) {
                    float v00 = at(in, ch, y0, x0, fill);
                    float v01 = at(in, ch, y0, x0 + 1, fill);
                    float v10 = at(in, ch, y0 + 1, x0, fill);
                    float v11 = at(in, ch, y0 + 1, x0 + 1, fill);
                    float top = v00 + (v01 - v00) * wx;
                    float bottom = v10 + (v11 - v10) * wx;
                    out[(ch * h + y) * w + x] = top + (bottom - top) * wy;
                }
            }
        }
        return new Pixels(in.channels(), h, w, out);
    }

    private static float at(Pixels in, int c, int y, int x, float fill) {
        return y < 0 || x < 0 || y >= in.height() || x >= in.width() ? fill : in.get(c, y, x);
    }

    private static int clamp(int v, int n) {
        return v < 0 ? 0 : Math.min(v, n - 1);
    }
}
