package org.vitspark.digest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 in lower-case hex: what shards, manifests, checkpoints, run configs and reports record to tell a
 * complete, unchanged file from a truncated or altered one.
 */
public final class Sha256 {

    private Sha256() {
    }

    /** A fresh digest to feed incrementally. */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }

    public static String hex(byte[] data) {
        return HexFormat.of().formatHex(digest().digest(data));
    }

    /** Of the text's UTF-8 bytes. */
    public static String hex(String text) {
        return hex(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Completes {@code d}. */
    public static String hex(MessageDigest d) {
        return HexFormat.of().formatHex(d.digest());
    }

    /** Of everything {@code in} yields (read to the end, not closed). */
    public static String hex(InputStream in) throws IOException {
        MessageDigest d = digest();
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
            d.update(buf, 0, n);
        }
        return hex(d);
    }
}
