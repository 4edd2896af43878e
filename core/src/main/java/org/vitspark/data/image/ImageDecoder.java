package org.vitspark.data.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes one encoded image robustly: format by magic bytes, pixel limit checked on the header before any
 * pixel is decoded, CMYK/YCCK JPEGs through the TwelveMonkeys reader, grayscale, palette and alpha images
 * to plain RGB, EXIF orientation applied; anything else becomes a {@link SkipReason}, never an exception.
 */
public final class ImageDecoder implements java.io.Serializable {

    /** 0.1 gigapixel: 25× the largest ImageNet image (2592×3888 = 10 MP); a decoded RGB image of this size is 300 MB. */
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

    private final long maxPixels;

    public ImageDecoder(long maxPixels) {
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
        }
        this.maxPixels = maxPixels;
    }

    /** The outcome for one file: an upright RGB image, or the reason it was skipped. */
    public record Result(BufferedImage image, ImageFormat format, boolean portable, SkipReason skipped, String detail) {

        static Result skip(SkipReason reason, ImageFormat format, String detail) {
            return new Result(null, format, false, reason, detail);
        }

        public boolean ok() {
            return skipped == null;
        }
    }

    /**
     * @return the decoded image; {@code portable} says whether the original bytes decode to the same upright
     *     RGB pixels in common readers (stock ImageIO, Pillow without EXIF handling), i.e. a plain RGB or
     *     grayscale JPEG without an orientation tag, or a PNG. Others (CMYK/YCCK JPEGs, rotated JPEGs, GIF,
     *     BMP) should be stored re-encoded.
     */
    public Result decode(byte[] bytes) {
        if (bytes.length == 0) {
            return Result.skip(SkipReason.EMPTY, ImageFormat.UNKNOWN, "zero bytes");
        }
        ImageFormat format = ImageFormat.sniff(bytes);
        if (format == ImageFormat.UNKNOWN) {
            return Result.skip(SkipReason.NOT_AN_IMAGE, format, "no image signature in the first bytes");
        }
        if (format == ImageFormat.JPEG && !hasEndMarker(bytes)) {
            return Result.skip(SkipReason.TRUNCATED, format, "no JPEG end-of-image marker");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName());
            if (!readers.hasNext()) {
                return Result.skip(SkipReason.CORRUPT, format, "no ImageIO reader for " + format);
            }
            ImageReader reader = readers.next();
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener(collect(warnings));
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0);
                long h = reader.getHeight(0);
                if (w <= 0 || h <= 0) {
                    return Result.skip(SkipReason.CORRUPT, format, "declared size " + w + "x" + h);
                }
                if (w * h > maxPixels) {
                    return Result.skip(SkipReason.TOO_MANY_PIXELS, format,
                            "declared " + w + "x" + h + " > " + maxPixels + " pixels");
                }
                BufferedImage raw = reader.read(0);
                for (String warning : warnings) {
                    if (warning.toLowerCase(Locale.ROOT).contains("premature end")) {
                        return Result.skip(SkipReason.TRUNCATED, format, warning);
                    }
                }
                return rgb(raw, bytes, format);
            } finally {
                reader.dispose();
            }
        } catch (EOFException e) {
            return Result.skip(SkipReason.TRUNCATED, format, "unexpected end of data");
        } catch (IOException | RuntimeException e) {
            String m = String.valueOf(e.getMessage());
            String lower = m.toLowerCase(Locale.ROOT);
            boolean truncated = lower.contains("eof") || lower.contains("end of") || lower.contains("premature");
            return Result.skip(truncated ? SkipReason.TRUNCATED : SkipReason.CORRUPT, format,
                    e.getClass().getSimpleName() + ": " + m);
        }
    }

    private static Result rgb(BufferedImage raw, byte[] bytes, ImageFormat format) {
        int orientation = format == ImageFormat.JPEG ? ExifOrientation.of(bytes) : 1;
        boolean plainColour = raw.getColorModel().getColorSpace().getNumComponents() != 4
                && !(format == ImageFormat.JPEG && JpegHeader.components(bytes) == 4);
        BufferedImage rgb = toRgb(raw);
        BufferedImage upright = ExifOrientation.apply(rgb, orientation);
        boolean portable = (format == ImageFormat.JPEG || format == ImageFormat.PNG) && plainColour && orientation == 1;
        return new Result(upright, format, portable, null, null);
    }

    /** The image as TYPE_INT_RGB: sRGB-converted colour, alpha dropped (as Pillow's convert("RGB") does). */
    static BufferedImage toRgb(BufferedImage img) {
        if (img.getType() == BufferedImage.TYPE_INT_RGB) {
            return img;
        }
        int w = img.getWidth();
        int h = img.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                row[x] &= 0xFFFFFF;
            }
            out.setRGB(0, y, w, 1, row, 0, w);
        }
        return out;
    }

    /** A JPEG's end-of-image marker, allowing the trailing padding some writers append. */
    private static boolean hasEndMarker(byte[] b) {
        int i = b.length - 1;
        int limit = Math.max(1, b.length - 4096);
        while (i >= limit && b[i] != (byte) 0xD9) {
            if (b[i] != 0 && b[i] != (byte) 0xFF && b[i] != '\n' && b[i] != '\r') {
                return false;
            }
            i--;
        }
        return i >= limit && b[i - 1] == (byte) 0xFF;
    }

    private static IIOReadWarningListener collect(List<String> warnings) {
        return (source, warning) -> warnings.add(warning);
    }
}
