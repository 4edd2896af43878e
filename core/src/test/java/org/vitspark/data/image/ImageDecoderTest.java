package org.vitspark.data.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Generated odd files, one per known trap of ImageNet-style data (docs/shard-format.md, "Odd files").
 * Public: its generators are the shard tests' fixtures too.
 */
public class ImageDecoderTest {

    private final ImageDecoder decoder = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS);

    public static BufferedImage halves(int w, int h, Color left, Color right) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(left);
        g.fillRect(0, 0, w / 2, h);
        g.setColor(right);
        g.fillRect(w / 2, 0, w - w / 2, h);
        g.dispose();
        return img;
    }

    public static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, format, out), "a writer for " + format);
        return out.toByteArray();
    }

    private static void assertColour(BufferedImage img, int x, int y, Color expected) {
        Color c = new Color(img.getRGB(x, y));
        int d = Math.abs(c.getRed() - expected.getRed()) + Math.abs(c.getGreen() - expected.getGreen())
                + Math.abs(c.getBlue() - expected.getBlue());
        assertTrue(d < 40, "pixel (" + x + "," + y + ") is " + c + ", expected about " + expected);
    }

    @Test
    void plainJpegAndPngDecodeAsPortableRgb() throws IOException {
        for (String format : new String[] {"jpeg", "png"}) {
            ImageDecoder.Result r = decoder.decode(encode(halves(50, 37, Color.RED, Color.BLUE), format));
            assertTrue(r.ok(), format + ": " + r.detail());
            assertTrue(r.portable(), format);
            assertEquals(50, r.image().getWidth());
            assertEquals(37, r.image().getHeight());
            assertEquals(BufferedImage.TYPE_INT_RGB, r.image().getType());
            assertColour(r.image(), 5, 5, Color.RED);
            assertColour(r.image(), 45, 30, Color.BLUE);
        }
    }

    @Test
    void aPngNamedJpegIsRecognisedByItsBytes() throws IOException {
        // n02105855_2933.JPEG in ImageNet's train set is a PNG
        ImageDecoder.Result r = decoder.decode(encode(halves(20, 20, Color.GREEN, Color.GREEN), "png"));
        assertEquals(ImageFormat.PNG, r.format());
        assertTrue(r.ok());
    }

    @Test
    void grayscalePaletteAndGifBecomeRgb() throws IOException {
        BufferedImage gray = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(3, 3, 0, 200);
        ImageDecoder.Result g = decoder.decode(encode(gray, "jpeg"));
        assertTrue(g.ok() && g.portable());
        Color c = new Color(g.image().getRGB(8, 8));
        assertEquals(c.getRed(), c.getGreen());
        assertEquals(c.getGreen(), c.getBlue());

        byte[] red = {(byte) 255, 0};
        byte[] green = {0, (byte) 255};
        byte[] blue = {0, 0};
        BufferedImage palette = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(1, 2, red, green, blue));
        palette.getRaster().setSample(7, 7, 0, 1);
        ImageDecoder.Result p = decoder.decode(encode(palette, "png"));
        assertTrue(p.ok() && p.portable());
        assertColour(p.image(), 0, 0, Color.RED);
        assertColour(p.image(), 7, 7, Color.GREEN);

        ImageDecoder.Result gif = decoder.decode(encode(palette, "gif"));
        assertTrue(gif.ok());
        assertFalse(gif.portable(), "GIF is stored re-encoded");
        assertColour(gif.image(), 7, 7, Color.GREEN);
    }

    @Test
    void cmykJpegDecodesThroughTwelveMonkeysAndIsMarkedForReencoding() throws IOException {
        byte[] cmyk = cmykJpeg(24, 16);
        assertEquals(4, JpegHeader.components(cmyk));
        ImageDecoder.Result r = decoder.decode(cmyk);
        assertTrue(r.ok(), "CMYK JPEG: " + r.detail());
        assertFalse(r.portable(), "the JDK's own reader rejects CMYK, so it is stored re-encoded");
        assertEquals(24, r.image().getWidth());
        assertEquals(16, r.image().getHeight());
    }

    @Test
    void exifOrientationIsApplied() throws IOException {
        // stored 64x32, left red, right blue, tagged "rotate 90° clockwise to display" (6)
        byte[] jpeg = withOrientation(encode(halves(64, 32, Color.RED, Color.BLUE), "jpeg"), 6);
        assertEquals(6, ExifOrientation.of(jpeg));
        ImageDecoder.Result r = decoder.decode(jpeg);
        assertTrue(r.ok(), r.detail());
        assertFalse(r.portable(), "readers that ignore EXIF would see it sideways");
        assertEquals(32, r.image().getWidth());
        assertEquals(64, r.image().getHeight());
        assertColour(r.image(), 16, 8, Color.RED);
        assertColour(r.image(), 16, 56, Color.BLUE);
    }

    @Test
    void everyOrientationMapsPixelsAsExifDefines() {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        int[] v = {1, 2, 3, 4, 5, 6}; // stored rows: [1 2 3] [4 5 6]
        img.setRGB(0, 0, 3, 2, v, 0, 3);
        int[][] expected = {
            null,
            {1, 2, 3, 4, 5, 6},
            {3, 2, 1, 6, 5, 4},
            {6, 5, 4, 3, 2, 1},
            {4, 5, 6, 1, 2, 3},
            {1, 4, 2, 5, 3, 6},
            {4, 1, 5, 2, 6, 3},
            {6, 3, 5, 2, 4, 1},
            {3, 6, 2, 5, 1, 4},
        };
        for (int o = 1; o <= 8; o++) {
            BufferedImage out = ExifOrientation.apply(img, o);
            int w = out.getWidth();
            int[] got = out.getRGB(0, 0, w, out.getHeight(), null, 0, w);
            for (int i = 0; i < got.length; i++) {
                got[i] &= 0xFFFFFF;
            }
            assertEquals(Arrays.toString(expected[o]), Arrays.toString(got), "orientation " + o);
        }
    }

    @Test
    void brokenFilesAreSkippedWithTheirReason() throws IOException {
        byte[] jpeg = encode(halves(80, 60, Color.RED, Color.BLUE), "jpeg");
        byte[] png = encode(halves(80, 60, Color.RED, Color.BLUE), "png");
        assertEquals(SkipReason.EMPTY, decoder.decode(new byte[0]).skipped());
        assertEquals(SkipReason.NOT_AN_IMAGE,
                decoder.decode("class\tlabel\nn01440764\t0\n".getBytes(StandardCharsets.UTF_8)).skipped());
        assertEquals(SkipReason.TRUNCATED, decoder.decode(Arrays.copyOf(jpeg, jpeg.length * 6 / 10)).skipped());
        SkipReason cutPng = decoder.decode(Arrays.copyOf(png, png.length / 2)).skipped();
        assertTrue(cutPng == SkipReason.TRUNCATED || cutPng == SkipReason.CORRUPT, "cut PNG: " + cutPng);
        assertEquals(SkipReason.TOO_MANY_PIXELS, decoder.decode(pngHeader(50_000, 50_000)).skipped());
        assertEquals(SkipReason.TOO_MANY_PIXELS, new ImageDecoder(1000).decode(jpeg).skipped(),
                "the limit applies to real images too");
        byte[] garbage = jpeg.clone();
        Arrays.fill(garbage, 4, 200, (byte) 0x5A); // headers destroyed, end marker intact
        assertFalse(decoder.decode(garbage).ok());
    }

    /** A 4-component (CMYK) JPEG, written from a raster as the JDK's writer does for 4 bands. */
    public static byte[] cmykJpeg(int w, int h) throws IOException {
        WritableRaster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.setPixel(x, y, new int[] {x < w / 2 ? 200 : 0, 30, 60, 10});
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(r, null, null), writer.getDefaultWriteParam());
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** The JPEG with an EXIF APP1 segment holding only the orientation tag, inserted after SOI. */
    public static byte[] withOrientation(byte[] jpeg, int orientation) {
        ByteBuffer app1 = ByteBuffer.allocate(36);
        app1.put((byte) 0xFF).put((byte) 0xE1).putShort((short) 34);
        app1.put("Exif".getBytes(StandardCharsets.US_ASCII)).put((byte) 0).put((byte) 0);
        app1.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8); // big-endian TIFF header
        app1.putShort((short) 1); // one IFD entry
        app1.putShort((short) 274).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        app1.putInt(0); // no next IFD
        byte[] out = new byte[jpeg.length + 36];
        System.arraycopy(jpeg, 0, out, 0, 2);
        System.arraycopy(app1.array(), 0, out, 2, 36);
        System.arraycopy(jpeg, 2, out, 38, jpeg.length - 2);
        return out;
    }

    /** A PNG signature and IHDR declaring the given size, with no image data: a decompression-bomb header. */
    public static byte[] pngHeader(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(8 + 25);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(w).putInt(h)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        b.putInt(13).put(ihdr.array()).putInt((int) crc.getValue());
        return b.array();
    }
}
