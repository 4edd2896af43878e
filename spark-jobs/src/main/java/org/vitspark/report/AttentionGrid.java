package org.vitspark.report;

import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.vitspark.analysis.ActivityStats.ImageMaps;

/**
 * Attention maps drawn over their images, one row per image: the image, the last layer's class-token
 * attention and the attention rollout, each map scaled to [0, 1] per image and blended over the image with
 * bilinear upsampling from the patch grid. Pixels are shown min-max scaled, whatever the normalisation.
 */
public final class AttentionGrid {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static final int CELL = 112;
    private static final int CAPTION = 18;

    private AttentionGrid() {
    }

    /** PNG of the grid; {@code classes} names labels (index when shorter). */
    public static byte[] png(List<ImageMaps> maps, int channels, int height, int width, List<String> classes) {
        int rows = maps.size();
        BufferedImage out = new BufferedImage(3 * CELL, CAPTION + rows * (CELL + CAPTION), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.BLACK);
        String[] heads = {"image", "last layer", "rollout"};
        for (int c = 0; c < 3; c++) {
            g.drawString(heads[c], c * CELL + 4, 13);
        }
        for (int r = 0; r < rows; r++) {
            ImageMaps m = maps.get(r);
            int top = CAPTION + r * (CELL + CAPTION);
            BufferedImage img = image(m.pixels(), channels, height, width);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            for (int c = 0; c < 3; c++) {
                g.setComposite(AlphaComposite.SrcOver);
                g.drawImage(img, c * CELL, top, CELL, CELL, null);
                if (c > 0) {
                    g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.55f));
                    g.drawImage(heat(c == 1 ? m.lastLayer() : m.rollout()), c * CELL, top, CELL, CELL, null);
                }
            }
            g.setComposite(AlphaComposite.SrcOver);
            g.setColor(m.label() == m.predicted() ? new Color(0, 110, 0) : new Color(170, 0, 0));
            g.drawString("label " + name(classes, m.label()) + ", predicted " + name(classes, m.predicted()), 4,
                    top + CELL + 13);
        }
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(out, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static String name(List<String> classes, int i) {
        return i < classes.size() ? classes.get(i) : Integer.toString(i);
    }

    private static BufferedImage image(float[] px, int channels, int height, int width) {
        float lo = min(px);
        float span = span(px);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int plane = height * width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int[] rgb = new int[3];
                for (int c = 0; c < 3; c++) {
                    int ch = channels == 3 ? c : 0;
                    rgb[c] = Math.round(255 * (px[ch * plane + y * width + x] - lo) / span);
                }
                img.setRGB(x, y, (rgb[0] << 16) | (rgb[1] << 8) | rgb[2]);
            }
        }
        return img;
    }

    // per-patch weights on a square grid, scaled to [0, 1], coloured
    private static BufferedImage heat(float[] map) {
        int side = (int) Math.round(Math.sqrt(map.length));
        float lo = min(map);
        float span = span(map);
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < side * side && i < map.length; i++) {
            img.setRGB(i % side, i / side, Charts.colour((map[i] - lo) / span).getRGB());
        }
        return img;
    }

    private static float min(float[] v) {
        float lo = Float.POSITIVE_INFINITY;
        for (float x : v) {
            lo = Math.min(lo, x);
        }
        return lo;
    }

    // max − min, or 1 for a constant array (which then maps to 0 everywhere)
    private static float span(float[] v) {
        float hi = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            hi = Math.max(hi, x);
        }
        float lo = min(v);
        return hi > lo ? hi - lo : 1;
    }
}
