package org.vitspark.data.shard;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.vitspark.data.image.ImageDecoder;
import org.vitspark.data.image.ImageFormat;
import org.vitspark.data.image.Resize;
import org.vitspark.data.image.SkipReason;
import org.vitspark.digest.Sha256;

/**
 * What a shard stores for one source file: the original bytes when any common reader decodes them to the
 * same upright RGB pixels, else (CMYK/YCCK or EXIF-rotated JPEGs, GIF, BMP) or when a resize is asked for,
 * a re-encoding (JPEG quality 95; PNG stays PNG); plus format, size and a SHA-256 of the stored bytes.
 */
public final class ShardEncoder implements Serializable {

    /** JPEG quality for re-encoded images: visually lossless, ~3× smaller than PNG for photos. */
    static final float JPEG_QUALITY = 0.95f;

    private final ImageDecoder decoder;
    private final int shorterSide;

    /**
     * @param maxPixels decompression-bomb limit on the declared size
     * @param shorterSide resize so the shorter side is this many pixels (only ever down); 0 keeps the size
     */
    public ShardEncoder(long maxPixels, int shorterSide) {
        this.decoder = new ImageDecoder(maxPixels);
        this.shorterSide = shorterSide;
    }

    /** The stored form of one image, or why it is skipped. */
    public record Encoded(byte[] bytes, String format, int height, int width, String sha256, SkipReason skipped,
                          String detail) {

        public boolean ok() {
            return skipped == null;
        }
    }

    public Encoded encode(byte[] source) {
        ImageDecoder.Result r = decoder.decode(source);
        if (!r.ok()) {
            return new Encoded(null, null, 0, 0, null, r.skipped(), r.detail());
        }
        BufferedImage img = r.image();
        int[] size = shorterSide > 0 ? Resize.shorterSideSize(img.getWidth(), img.getHeight(), shorterSide)
                : new int[] {img.getWidth(), img.getHeight()};
        boolean resized = size[0] != img.getWidth() || size[1] != img.getHeight();
        if (r.portable() && !resized) {
            String format = r.format() == ImageFormat.PNG ? "png" : "jpeg";
            return new Encoded(source, format, img.getHeight(), img.getWidth(), Sha256.hex(source), null, null);
        }
        BufferedImage out = resized ? Resize.to(img, size[0], size[1]) : img;
        boolean png = r.format() == ImageFormat.PNG;
        byte[] bytes = png ? png(out) : jpeg(out);
        return new Encoded(bytes, png ? "png" : "jpeg", out.getHeight(), out.getWidth(), Sha256.hex(bytes), null, null);
    }

    static byte[] jpeg(BufferedImage img) {
        return jpeg(img, JPEG_QUALITY);
    }

    /** Baseline JPEG at the given quality (0..1) through the JDK's writer. */
    public static byte[] jpeg(BufferedImage img, float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality);
            writer.write(null, new IIOImage(img, null, null), p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    static byte[] png(BufferedImage img) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

}
