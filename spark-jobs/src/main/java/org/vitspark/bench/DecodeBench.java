package org.vitspark.bench;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.vitspark.data.image.CvDecoder;
import org.vitspark.data.image.ImageDecoder;
import org.vitspark.data.image.Resize;
import org.vitspark.metrics.Stopwatch;

/**
 * JPEG decode and decode + resize (shorter side to 256), one thread, over every file of a folder tree held
 * in memory: the JDK reader as preprocessing validates with ({@link ImageDecoder}, {@link Resize}) and
 * OpenCV as the training reader decodes ({@link CvDecoder}, area filter). Prints ms/image and images/s
 * per path (best of the timed passes); the Pillow twin is core/src/bench/python/pillow_decode.py.
 * Usage: {@code DecodeBench DIR [passes=5]}.
 */
public final class DecodeBench {

    private DecodeBench() {
    }

    public static void main(String[] args) throws Exception {
        List<byte[]> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(Path.of(args[0]))) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                files.add(Files.readAllBytes(p));
            }
        }
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        ImageDecoder jdk = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS);
        // "uint8" rows stop at OpenCV's 8-bit BGR image, as Pillow's do at its 8-bit RGB image; the others
        // go on to the float CHW pixels the reader needs
        String[] names = {"jdk decode", "jdk decode+resize256", "opencv decode", "opencv decode+resize256",
            "opencv uint8 decode", "opencv uint8 decode+resize256"};
        double[] best = new double[names.length];
        java.util.Arrays.fill(best, Double.MAX_VALUE);
        long sink = 0;
        for (int pass = 0; pass <= passes; pass++) { // pass 0 warms up
            for (int m = 0; m < names.length; m++) {
                Stopwatch t = Stopwatch.start();
                for (byte[] f : files) {
                    sink += switch (m) {
                        case 0 -> jdk.decode(f).image().getWidth();
                        case 1 -> resized(jdk.decode(f).image()).getWidth();
                        case 2 -> CvDecoder.decode(f, 3).width();
                        case 3 -> CvDecoder.decode(f, 3, 256).width();
                        case 4 -> uint8(f, false);
                        default -> uint8(f, true);
                    };
                }
                double ms = t.millis() / files.size();
                if (pass > 0) {
                    best[m] = Math.min(best[m], ms);
                }
            }
        }
        for (int m = 0; m < names.length; m++) {
            System.out.printf("{\"path\":\"%s\",\"images\":%d,\"ms_per_image\":%.3f,\"images_per_s\":%.0f}%n",
                    names[m], files.size(), best[m], 1e3 / best[m]);
        }
        System.out.println("# checksum " + sink);
    }

    private static int uint8(byte[] f, boolean resize) {
        try (BytePointer b = new BytePointer(f); Mat buf = new Mat(1, f.length, opencv_core.CV_8U, b);
             Mat img = opencv_imgcodecs.imdecode(buf, opencv_imgcodecs.IMREAD_COLOR)) {
            if (!resize) {
                return img.cols();
            }
            int[] s = Resize.shorterSideSize(img.cols(), img.rows(), 256);
            try (Mat out = new Mat(); Size to = new Size(s[0], s[1])) {
                opencv_imgproc.resize(img, out, to, 0, 0, opencv_imgproc.INTER_AREA);
                return out.cols();
            }
        }
    }

    private static BufferedImage resized(BufferedImage img) {
        int[] s = Resize.shorterSideSize(img.getWidth(), img.getHeight(), 256);
        return Resize.to(img, s[0], s[1]);
    }
}
