package org.vitspark.data.image;

/**
 * Image container formats, recognised by their magic bytes and never by the file name: ImageNet's train
 * set has a PNG named {@code n02105855_2933.JPEG} (docs/shard-format.md, "Odd files").
 */
public enum ImageFormat {
    JPEG("jpeg"),
    PNG("png"),
    GIF("gif"),
    BMP("bmp"),
    /** Not an image this decoder knows (text, archives, WebP, HEIC...). */
    UNKNOWN(null);

    private final String imageIoName;

    ImageFormat(String imageIoName) {
        this.imageIoName = imageIoName;
    }

    /** The ImageIO format name readers are looked up by. */
    String imageIoName() {
        return imageIoName;
    }

    /** The format the first bytes announce. */
    public static ImageFormat sniff(byte[] b) {
        if (startsWith(b, 0xFF, 0xD8, 0xFF)) {
            return JPEG;
        }
        if (startsWith(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return PNG;
        }
        if (startsWith(b, 'G', 'I', 'F', '8')) {
            return GIF;
        }
        if (startsWith(b, 'B', 'M') && b.length >= 26) {
            return BMP;
        }
        return UNKNOWN;
    }

    private static boolean startsWith(byte[] b, int... magic) {
        if (b.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((b[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
