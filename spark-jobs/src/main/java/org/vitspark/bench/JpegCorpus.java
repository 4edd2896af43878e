package org.vitspark.bench;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.vitspark.data.shard.ShardEncoder;

/**
 * Writes an ImageNet-like benchmark corpus: {@code N} photo-like 500×375 RGB JPEGs (quality 90; smooth
 * random colour fields with fine noise, ~40-60 KB each, where ImageNet averages ~110 KB at ~400×350) in
 * {@code C} class folders. Usage: {@code JpegCorpus DIR [N=2000] [C=10]}.
 */
public final class JpegCorpus {

    private JpegCorpus() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int classes = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            byte[] jpeg = ShardEncoder.jpeg(image(500, 375, new SplittableRandom(i)), 0.90f);
            Path f = dir.resolve(String.format("c%02d/img_%06d.JPEG", i % classes, i));
            Files.createDirectories(f.getParent());
            Files.write(f, jpeg);
            bytes += jpeg.length;
        }
        System.out.printf("wrote %d JPEGs (%.1f MB, %.0f KB each) under %s%n", n, bytes / 1e6, bytes / 1e3 / n, dir);
    }

    /** Bilinear upsampling of a coarse random colour grid, plus per-pixel noise. */
    static BufferedImage image(int w, int h, SplittableRandom r) {
        int gw = 8 + r.nextInt(12);
        int gh = 6 + r.nextInt(9);
        int[][][] grid = new int[gh + 1][gw + 1][3];
        for (int[][] row : grid) {
            for (int[] px : row) {
                for (int c = 0; c < 3; c++) {
                    px[c] = r.nextInt(256);
                }
            }
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            double gy = (double) y * gh / h;
            int y0 = (int) gy;
            double fy = gy - y0;
            for (int x = 0; x < w; x++) {
                double gx = (double) x * gw / w;
                int x0 = (int) gx;
                double fx = gx - x0;
                int rgb = 0;
                for (int c = 0; c < 3; c++) {
                    double v = (grid[y0][x0][c] * (1 - fx) + grid[y0][x0 + 1][c] * fx) * (1 - fy)
                            + (grid[y0 + 1][x0][c] * (1 - fx) + grid[y0 + 1][x0 + 1][c] * fx) * fy
                            + r.nextGaussian() * 12;
                    rgb = (rgb << 8) | Math.max(0, Math.min(255, (int) v));
                }
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }
}
