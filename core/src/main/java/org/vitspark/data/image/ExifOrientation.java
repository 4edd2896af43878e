package org.vitspark.data.image;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageInputStream;

/**
 * The EXIF orientation of a JPEG (TIFF tag 274, values 1–8) and the transform that displays the stored
 * pixels upright. Cameras store sensor-order pixels plus this tag; a decoder that ignores it hands
 * training sideways images.
 */
final class ExifOrientation {

    private static final int APP1 = 0xFFE1;
    private static final int TAG_ORIENTATION = 274;

    private ExifOrientation() {
    }

    /** The orientation tag, or 1 (upright) when there is none or it cannot be read. */
    static int of(byte[] jpeg) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
            List<JPEGSegment> exif = JPEGSegmentUtil.readSegments(in, APP1, "Exif");
            if (exif.isEmpty()) {
                return 1;
            }
            InputStream data = exif.get(0).data();
            if (data.read() == -1) { // the pad byte after "Exif\0"
                return 1;
            }
            try (ImageInputStream tiff = ImageIO.createImageInputStream(data)) {
                Directory dir = new TIFFReader().read(tiff);
                Entry e = dir.getEntryById(TAG_ORIENTATION);
                int v = e == null || !(e.getValue() instanceof Number n) ? 1 : n.intValue();
                return v >= 1 && v <= 8 ? v : 1;
            }
        } catch (IOException | RuntimeException e) {
            return 1; // unreadable metadata must not lose an otherwise good image
        }
    }

    /** The upright image for a stored image with the given orientation (a new image unless it is 1). */
    static BufferedImage apply(BufferedImage img, int orientation) {
        if (orientation == 1) {
            return img;
        }
        int w = img.getWidth();
        int h = img.getHeight();
        int[] src = img.getRGB(0, 0, w, h, null, 0, w);
        boolean swap = orientation >= 5;
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        int[] dst = new int[ow * oh];
        // EXIF 2.3, tag 274: which stored pixel lands at display position (x, y).
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }          // mirrored
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }  // rotated 180°
                    case 4 -> { sx = x; sy = h - 1 - y; }          // flipped
                    case 5 -> { sx = y; sy = x; }                  // transposed
                    case 6 -> { sx = y; sy = h - 1 - x; }          // needs 90° clockwise
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }  // transversed
                    default -> { sx = w - 1 - y; sy = x; }         // 8: needs 90° counter-clockwise
                }
                dst[y * ow + x] = src[sy * w + sx];
            }
        }
        BufferedImage out = new BufferedImage(ow, oh, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, ow, oh, dst, 0, ow);
        return out;
    }
}
