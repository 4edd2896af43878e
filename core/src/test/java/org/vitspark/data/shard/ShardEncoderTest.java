package org.vitspark.data.shard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.vitspark.data.image.ImageDecoder;
import org.vitspark.data.image.ImageDecoderTest;
import org.vitspark.data.image.SkipReason;
import org.vitspark.digest.Sha256;

class ShardEncoderTest {

    private final ShardEncoder keep = new ShardEncoder(ImageDecoder.DEFAULT_MAX_PIXELS, 0);

    @Test
    void portableImagesAreStoredByteForByte() throws IOException {
        byte[] jpeg = ImageDecoderTest.encode(ImageDecoderTest.halves(40, 30, Color.RED, Color.BLUE), "jpeg");
        ShardEncoder.Encoded e = keep.encode(jpeg);
        assertTrue(e.ok());
        assertArrayEquals(jpeg, e.bytes());
        assertEquals("jpeg", e.format());
        assertEquals(30, e.height());
        assertEquals(40, e.width());
        assertEquals(Sha256.hex(jpeg), e.sha256());
    }

    @Test
    void cmykIsReencodedToAJpegTheJdksOwnReaderDecodes() throws IOException {
        ShardEncoder.Encoded e = keep.encode(ImageDecoderTest.cmykJpeg(24, 16));
        assertTrue(e.ok(), e.detail());
        assertEquals("jpeg", e.format());
        // the JDK's built-in reader, not TwelveMonkeys: what other tools' readers are like
        BufferedImage img = null;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(e.bytes()))) {
            Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("jpeg");
            while (it.hasNext()) {
                ImageReader r = it.next();
                if (r.getClass().getName().startsWith("com.sun.")) {
                    r.setInput(in);
                    img = r.read(0);
                }
            }
        }
        assertNotNull(img, "the JDK reader decodes the re-encoded image");
        assertEquals(24, img.getWidth());
    }

    @Test
    void resizeBringsTheShorterSideDownKeepingTheAspect() throws IOException {
        byte[] png = ImageDecoderTest.encode(ImageDecoderTest.halves(500, 375, Color.RED, Color.BLUE), "png");
        ShardEncoder.Encoded e = new ShardEncoder(ImageDecoder.DEFAULT_MAX_PIXELS, 160).encode(png);
        assertEquals("png", e.format());
        assertEquals(160, e.height());
        assertEquals(213, e.width());
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(e.bytes()));
        assertEquals(Color.RED.getRGB(), img.getRGB(20, 80));
        assertEquals(Color.BLUE.getRGB(), img.getRGB(200, 80));
        byte[] small = ImageDecoderTest.encode(ImageDecoderTest.halves(100, 80, Color.RED, Color.BLUE), "png");
        assertArrayEquals(small, new ShardEncoder(ImageDecoder.DEFAULT_MAX_PIXELS, 160).encode(small).bytes(),
                "never upscaled");
    }

    @Test
    void skippedFilesCarryTheirReason() {
        assertEquals(SkipReason.EMPTY, keep.encode(new byte[0]).skipped());
    }
}
