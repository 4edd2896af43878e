package org.vitspark.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.vitspark.augment.Pixels;

/** OpenCV decoding against the JDK's readers on the formats shards hold. */
class CvDecoderTest {

    @Test
    void pngDecodesExactlyAsTheJdkDoesInRgbOrder() throws Exception {
        BufferedImage img = new BufferedImage(7, 5, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 7; x++) {
                img.setRGB(x, y, new Color(x * 30, y * 50, (x + y) * 10).getRGB());
            }
        }
        byte[] png = ImageDecoderTest.encode(img, "png");
        Pixels cv = CvDecoder.decode(png, 3);
        assertArrayEquals(Pixels.of(ImageIO.read(new ByteArrayInputStream(png))).data(), cv.data());
        Pixels gray = CvDecoder.decode(png, 1);
        assertEquals(1, gray.channels());
        assertEquals(Math.round(0.299 * 60 + 0.587 * 50 + 0.114 * 30), gray.get(0, 1, 2), 1.0);
    }

    @Test
    void jpegMatchesTheJdkWithinRounding() throws Exception {
        byte[] jpeg = ImageDecoderTest.encode(ImageDecoderTest.halves(64, 48, Color.RED, Color.CYAN), "jpeg");
        Pixels cv = CvDecoder.decode(jpeg, 3);
        Pixels jdk = Pixels.of(ImageIO.read(new ByteArrayInputStream(jpeg)));
        assertEquals(jdk.height(), cv.height());
        double maxDiff = 0;
        for (int i = 0; i < cv.data().length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(cv.data()[i] - jdk.data()[i]));
        }
        assertTrue(maxDiff <= 3, "libjpeg-turbo vs the JDK's libjpeg differ at most by rounding: " + maxDiff);
    }

    @Test
    void garbageIsAClearError() {
        assertThrows(IllegalArgumentException.class, () -> CvDecoder.decode(new byte[] {1, 2, 3}, 3));
    }
}
