package org.vitspark.data.image;

/** Why an input file was left out of a data set; preprocessing counts files per reason. */
public enum SkipReason {
    /** Zero bytes. */
    EMPTY,
    /** No known image signature (text, archive, unsupported container). */
    NOT_AN_IMAGE,
    /** The data ends before the image does (a cut-off download or copy). */
    TRUNCATED,
    /** Declared width × height above the pixel limit: a decompression bomb or an absurd scan. */
    TOO_MANY_PIXELS,
    /** The decoder rejected the data for another reason (corrupt headers or entropy data). */
    CORRUPT,
    /** The file could not be read (permissions, an I/O error, gone since the listing). */
    UNREADABLE;

    /** The name used in manifests and progress lines, e.g. {@code too_many_pixels}. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
