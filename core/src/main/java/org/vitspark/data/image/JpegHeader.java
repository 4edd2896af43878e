package org.vitspark.data.image;

/** Reads the component count from a JPEG's start-of-frame marker without decoding (4 = CMYK or YCCK). */
final class JpegHeader {

    private JpegHeader() {
    }

    /** Components in the first SOF segment, or -1 when none is found. */
    static int components(byte[] b) {
        int i = 2; // after SOI
        while (i + 4 < b.length) {
            if ((b[i] & 0xFF) != 0xFF) {
                return -1;
            }
            int marker = b[i + 1] & 0xFF;
            if (marker == 0xFF) { // fill byte
                i++;
                continue;
            }
            int length = ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
            // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC)
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                return i + 9 < b.length ? b[i + 9] & 0xFF : -1;
            }
            if (marker == 0xDA) { // start of scan: no frame header before it
                return -1;
            }
            i += 2 + length;
        }
        return -1;
    }
}
