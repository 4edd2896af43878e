package org.vitspark.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Images and labels from the idx format used by MNIST and Fashion-MNIST (big-endian header: magic
 * 0x00000803 for 3-d unsigned-byte images, 0x00000801 for 1-d labels, then the dimensions).
 *
 * @param pixels one row-major {@code rows*cols} gray image per entry, values 0..255 as unsigned bytes
 * @param labels class index per image
 */
public record IdxImages(byte[][] pixels, int[] labels, int rows, int cols) {

    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    /** Fashion-MNIST's class names, in label order (zalandoresearch/fashion-mnist README). */
    public static final String[] FASHION_CLASSES = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
        "Shirt", "Sneaker", "Bag", "Ankle boot"};

    public int size() {
        return labels.length;
    }

    /**
     * Reads the {@code train} or {@code t10k} split from a folder holding the four standard files,
     * gzipped or not.
     *
     * @param limit read at most this many images; 0 = all
     */
    public static IdxImages read(Path folder, String split, int limit) throws IOException {
        Path images = find(folder, split + "-images-idx3-ubyte");
        Path labels = find(folder, split + "-labels-idx1-ubyte");
        int[] y = readLabels(labels, limit);
        try (DataInputStream in = open(images)) {
            int magic = in.readInt();
            if (magic != IMAGES_MAGIC) {
                throw new IOException(images + ": not an idx image file (magic 0x" + Integer.toHexString(magic) + ")");
            }
            int n = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (n < y.length) {
                throw new IOException(images + " holds " + n + " images but " + labels + " has " + y.length + " labels");
            }
            int count = y.length;
            byte[][] x = new byte[count][rows * cols];
            for (int i = 0; i < count; i++) {
                in.readFully(x[i]);
            }
            return new IdxImages(x, y, rows, cols);
        } catch (EOFException e) {
            throw new IOException(images + " is truncated", e);
        }
    }

    private static int[] readLabels(Path file, int limit) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != LABELS_MAGIC) {
                throw new IOException(file + ": not an idx label file (magic 0x" + Integer.toHexString(magic) + ")");
            }
            int n = in.readInt();
            int count = limit > 0 ? Math.min(limit, n) : n;
            int[] y = new int[count];
            for (int i = 0; i < count; i++) {
                y[i] = in.readUnsignedByte();
            }
            return y;
        } catch (EOFException e) {
            throw new IOException(file + " is truncated", e);
        }
    }

    private static Path find(Path folder, String base) throws IOException {
        for (String name : new String[] {base, base + ".gz"}) {
            Path p = folder.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IOException("no " + base + "[.gz] in " + folder
                + " (for Fashion-MNIST: apt-get install dataset-fashion-mnist)");
    }

    private static DataInputStream open(Path p) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(p), 1 << 16);
        return new DataInputStream(p.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw);
    }

    /**
     * A seeded choice of {@code count} images set aside (indices ascending) and the rest, as two index
     * lists: a Fisher-Yates shuffle of the indices from {@code seed}, its first {@code count} held out.
     */
    public static int[][] holdOut(int size, int count, long seed) {
        if (count < 0 || count >= size) {
            throw new IllegalArgumentException("data.holdout: " + count + " of " + size + " training images");
        }
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        java.util.SplittableRandom r = org.vitspark.rng.Rng.of(seed, org.vitspark.rng.Purpose.HOLDOUT.code);
        for (int i = size - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] held = java.util.Arrays.copyOf(order, count);
        int[] rest = java.util.Arrays.copyOfRange(order, count, size);
        java.util.Arrays.sort(held);
        java.util.Arrays.sort(rest);
        return new int[][] {rest, held};
    }

    /** The images at {@code indices}, in that order. */
    public IdxImages select(int[] indices) {
        byte[][] p = new byte[indices.length][];
        int[] l = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            p[i] = pixels[indices[i]];
            l[i] = labels[indices[i]];
        }
        return new IdxImages(p, l, rows, cols);
    }
}
