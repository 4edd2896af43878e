package org.vitspark.data.image;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Downscaling with an anti-aliased result: halve with bilinear filtering while more than a factor 2
 * remains, then one bicubic step to the exact size. A single bilinear or bicubic step from far away
 * samples only a few source pixels per output pixel and aliases; repeated halving averages them all
 * (the "progressive bilinear" method), close to Pillow's area-aware filters at a fraction of the cost.
 */
public final class Resize {

    private Resize() {
    }

    /** The size whose shorter side is {@code target}, aspect kept (rounded); the input size if already smaller. */
    public static int[] shorterSideSize(int width, int height, int target) {
        int shorter = Math.min(width, height);
        if (shorter <= target) {
            return new int[] {width, height};
        }
        double s = (double) target / shorter;
        int w = width <= height ? target : (int) Math.max(1, Math.round(width * s));
        int h = height < width ? target : (int) Math.max(1, Math.round(height * s));
        return new int[] {w, h};
    }

    /** The image scaled down to {@code width}×{@code height} (TYPE_INT_RGB). */
    public static BufferedImage to(BufferedImage img, int width, int height) {
        BufferedImage cur = ImageDecoder.toRgb(img);
        int w = cur.getWidth();
        int h = cur.getHeight();
        while (w / 2 >= width && h / 2 >= height) {
            w /= 2;
            h /= 2;
            cur = draw(cur, w, h, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        }
        if (w != width || h != height) {
            cur = draw(cur, width, height, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        }
        return cur;
    }

    private static BufferedImage draw(BufferedImage src, int w, int h, Object interpolation) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        return out;
    }
}
