package org.vitspark.analysis;

import java.io.Serializable;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A fixed set of labelled images in memory, already through the evaluation pipeline: the subset a
 * diagnostic evaluates again and again (every power iteration, every landscape grid point). Plain
 * arrays, so Spark can cache it on an executor and ship it without ND4J.
 *
 * @param pixels images in c order, [count, channels, height, width] flattened
 * @param labels class index per image
 */
public record LabelledImages(float[] pixels, int[] labels, int channels, int height, int width, int classes)
        implements Serializable {

    public LabelledImages {
        if (pixels.length != (long) labels.length * channels * height * width) {
            throw new IllegalArgumentException(pixels.length + " pixels for " + labels.length + " images of "
                    + channels + "x" + height + "x" + width);
        }
    }

    public static LabelledImages empty(int channels, int height, int width, int classes) {
        return new LabelledImages(new float[0], new int[0], channels, height, width, classes);
    }

    /** From a feature batch [B, C, H, W] and one-hot (or soft) labels [B, classes]: the argmax is the label. */
    public static LabelledImages of(INDArray features, INDArray labels) {
        int b = (int) features.size(0);
        int[] y = new int[b];
        INDArray arg = labels.argMax(1);
        for (int i = 0; i < b; i++) {
            y[i] = arg.getInt(i);
        }
        return new LabelledImages(features.dup('c').castTo(DataType.FLOAT).data().asFloat(), y,
                (int) features.size(1), (int) features.size(2), (int) features.size(3), (int) labels.size(1));
    }

    public int count() {
        return labels.length;
    }

    private int imageSize() {
        return channels * height * width;
    }

    /** The first {@code n} images (all when fewer). */
    public LabelledImages first(int n) {
        int k = Math.min(n, count());
        return new LabelledImages(Arrays.copyOf(pixels, k * imageSize()), Arrays.copyOf(labels, k), channels, height,
                width, classes);
    }

    /** The sets one after another (same image shape and classes), copied once. */
    public static LabelledImages join(java.util.List<LabelledImages> parts) {
        LabelledImages first = parts.get(0);
        int pixels = 0;
        int images = 0;
        for (LabelledImages p : parts) {
            if (p.channels != first.channels || p.height != first.height || p.width != first.width
                    || p.classes != first.classes) {
                throw new IllegalArgumentException("cannot join image sets of different shapes");
            }
            pixels += p.pixels.length;
            images += p.labels.length;
        }
        float[] px = new float[pixels];
        int[] y = new int[images];
        int po = 0;
        int yo = 0;
        for (LabelledImages p : parts) {
            System.arraycopy(p.pixels, 0, px, po, p.pixels.length);
            System.arraycopy(p.labels, 0, y, yo, p.labels.length);
            po += p.pixels.length;
            yo += p.labels.length;
        }
        return new LabelledImages(px, y, first.channels, first.height, first.width, first.classes);
    }

    /** Images {@code [from, to)} as [to-from, C, H, W] in the given type. */
    public INDArray images(int from, int to, DataType type) {
        float[] part = Arrays.copyOfRange(pixels, from * imageSize(), to * imageSize());
        return Nd4j.create(part, new long[] {to - from, channels, height, width}, 'c').castTo(type);
    }

    /** One-hot labels of images {@code [from, to)}, [to-from, classes]. */
    public INDArray oneHot(int from, int to, DataType type) {
        INDArray y = Nd4j.zeros(type, to - from, classes);
        for (int i = from; i < to; i++) {
            y.putScalar(i - from, labels[i], 1.0);
        }
        return y;
    }
}
