package org.vitspark.dino;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.vitspark.augment.Pixels;

/**
 * One image's multi-crop views as one row of a minibatch: the global views, then the local ones, each
 * flattened CHW. The reader packs them (DL4J's minibatch is one features array), the layer unpacks them
 * view-major, so that rows [v·B, (v+1)·B) of a pass are view v of every image.
 */
public final class PackedViews {

    /** @param globals [G·B, C, S, S]; @param locals [L·B, C, s, s] (null without local views) */
    public record Views(INDArray globals, INDArray locals) {
    }

    private PackedViews() {
    }

    /** Writes one image's views (globals first, each of its spec's size) into {@code row} from {@code offset}. */
    public static void pack(List<Pixels> views, DinoSpec d, int channels, float[] row, int offset) {
        if (views.size() != d.globalViews() + d.localViews()) {
            throw new IllegalArgumentException(views.size() + " views for " + d.globalViews() + " global + "
                    + d.localViews() + " local");
        }
        int at = offset;
        for (int i = 0; i < views.size(); i++) {
            Pixels p = views.get(i);
            int size = i < d.globalViews() ? d.globalSize() : d.localSize();
            if (p.channels() != channels || p.height() != size || p.width() != size) {
                throw new IllegalArgumentException("view " + i + " is " + p.channels() + "x" + p.height() + "x"
                        + p.width() + ", expected " + channels + "x" + size + "x" + size);
            }
            System.arraycopy(p.data(), 0, row, at, p.data().length);
            at += p.data().length;
        }
    }

    /** Packed rows [B, packedLength] → the views, view-major. */
    public static Views unpack(INDArray packed, int channels, DinoSpec d) {
        long b = packed.size(0);
        if (packed.size(1) != d.packedLength(channels)) {
            throw new IllegalArgumentException("packed rows of " + packed.size(1) + " values, expected "
                    + d.packedLength(channels) + " (" + d.globalViews() + "x" + d.globalSize() + " px + "
                    + d.localViews() + "x" + d.localSize() + " px views of " + channels + " channels)");
        }
        long g = (long) channels * d.globalSize() * d.globalSize();
        long l = (long) channels * d.localSize() * d.localSize();
        INDArray globals = Nd4j.create(packed.dataType(), (long) d.globalViews() * b, channels, d.globalSize(),
                d.globalSize());
        for (int v = 0; v < d.globalViews(); v++) {
            globals.get(NDArrayIndex.interval(v * b, (v + 1) * b), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all()).assign(packed.get(NDArrayIndex.all(), NDArrayIndex.interval(v * g, (v + 1) * g))
                    .reshape('c', b, channels, d.globalSize(), d.globalSize()));
        }
        if (d.localViews() == 0) {
            return new Views(globals, null);
        }
        INDArray locals = Nd4j.create(packed.dataType(), (long) d.localViews() * b, channels, d.localSize(),
                d.localSize());
        long base = d.globalViews() * g;
        for (int v = 0; v < d.localViews(); v++) {
            locals.get(NDArrayIndex.interval(v * b, (v + 1) * b), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all()).assign(packed.get(NDArrayIndex.all(),
                    NDArrayIndex.interval(base + v * l, base + (v + 1) * l)).reshape('c', b, channels, d.localSize(),
                    d.localSize()));
        }
        return new Views(globals, locals);
    }
}
