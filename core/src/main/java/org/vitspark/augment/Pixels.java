package org.vitspark.augment;

import java.awt.image.BufferedImage;

/**
 * An image as float channels in CHW order (values 0..255 until normalised): what augmentations take and
 * return, and what becomes one row of a training batch.
 */
public record Pixels(int channels, int height, int width, float[] data) {

    public Pixels {
        if (data.length != channels * height * width) {
            throw new IllegalArgumentException("data has " + data.length + " values for " + channels + "x" + height
                    + "x" + width);
        }
    }

    public float get(int c, int y, int x) {
        return data[(c * height + y) * width + x];
    }

    /** RGB pixels of an image (any type; grayscale is expanded to three equal channels). */
    public static Pixels of(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        float[] d = new float[3 * h * w];
        int plane = h * w;
        for (int i = 0; i < plane; i++) {
            int p = argb[i];
            d[i] = (p >> 16) & 0xFF;
            d[plane + i] = (p >> 8) & 0xFF;
            d[2 * plane + i] = p & 0xFF;
        }
        return new Pixels(3, h, w, d);
    }
}
