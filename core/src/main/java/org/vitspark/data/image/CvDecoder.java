package org.vitspark.data.image;

import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_GRAYSCALE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.nio.ByteBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.vitspark.augment.Pixels;

/**
 * Training-time decoding of shard images (JPEG/PNG that preprocessing already validated) through OpenCV's
 * {@code imdecode}: libjpeg-turbo with SIMD, about 4× the JDK's JPEG reader and on a par with Pillow
 * (docs/benchmarks.md). Preprocessing keeps {@link ImageDecoder} for its checks (CMYK, EXIF, truncation,
 * pixel limits); the shards it writes hold only upright RGB/gray JPEG and PNG, which is all this reads.
 * Thread-safe: every call has its own native buffers.
 */
public final class CvDecoder {

    private CvDecoder() {
    }

    /**
     * Pixels of an encoded image, CHW floats 0..255: RGB for {@code channels == 3}, luma for 1.
     *
     * @throws IllegalArgumentException when OpenCV cannot decode the bytes
     */
    public static Pixels decode(byte[] encoded, int channels) {
        return decode(encoded, channels, 0);
    }

    /**
     * As {@link #decode(byte[], int)}, first scaling the shorter side down to {@code shorterSide} (0 = keep)
     * with OpenCV's area filter, the anti-aliased downscale comparable to Pillow's resize.
     */
    public static Pixels decode(byte[] encoded, int channels, int shorterSide) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        try (BytePointer bytes = new BytePointer(encoded);
             Mat buf = new Mat(1, encoded.length, CV_8U, bytes);
             Mat img = imdecode(buf, channels == 1 ? IMREAD_GRAYSCALE : IMREAD_COLOR)) {
            if (img == null || img.empty()) {
                throw new IllegalArgumentException("OpenCV cannot decode " + encoded.length + " bytes");
            }
            int[] size = shorterSide > 0 ? Resize.shorterSideSize(img.cols(), img.rows(), shorterSide) : null;
            if (size != null && (size[0] != img.cols() || size[1] != img.rows())) {
                try (Mat small = new Mat(); Size to = new Size(size[0], size[1])) {
                    resize(img, small, to, 0, 0, INTER_AREA);
                    return pixels(small, channels);
                }
            }
            return pixels(img, channels);
        }
    }

    private static Pixels pixels(Mat img, int channels) {
        int h = img.rows();
        int w = img.cols();
        int plane = h * w;
        ByteBuffer src = img.createBuffer();
        long step = img.step();
        float[] out = new float[channels * plane];
        byte[] row = new byte[w * channels];
        for (int y = 0; y < h; y++) {
            src.position((int) (y * step));
            src.get(row);
            int o = y * w;
            if (channels == 1) {
                for (int x = 0; x < w; x++) {
                    out[o + x] = row[x] & 0xFF;
                }
            } else {
                for (int x = 0, i = 0; x < w; x++, i += 3) { // OpenCV rows are BGR
                    out[o + x] = row[i + 2] & 0xFF;
                    out[plane + o + x] = row[i + 1] & 0xFF;
                    out[2 * plane + o + x] = row[i] & 0xFF;
                }
            }
        }
        return new Pixels(channels, h, w, out);
    }
}
