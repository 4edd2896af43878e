package org.vitspark.model;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.vitspark.model.ops.Bicubic;

/**
 * The position embedding on another patch grid than the one it was learned for: the class token's
 * position stays, the patch positions are resized bicubically ({@link Bicubic}) from the spec's √N×√N grid
 * to the image's. Forward M·pos, backward Mᵀ·grad: one fixed linear operator per (grid, dtype), cached.
 */
final class PosGrid {

    private static final Map<String, INDArray> OPERATORS = new ConcurrentHashMap<>();

    private PosGrid() {
    }

    /** The patch-grid side of square {@code images} [B, C, H, W] for this model; fails on a size it cannot take. */
    static int side(ModelSpec m, INDArray images) {
        long h = images.size(2);
        long w = images.size(3);
        if (h != w || h % m.patch() != 0) {
            throw new IllegalArgumentException("images of " + h + "x" + w + " px: the model takes square images "
                    + "whose side is a multiple of its patch (" + m.patch() + " px)");
        }
        int side = (int) (h / m.patch());
        if (side != m.imageSize() / m.patch() && m.family() != ModelSpec.Family.VIT) {
            throw new IllegalArgumentException("images of " + h + " px: an MLP-Mixer takes only its own image "
                    + "size (" + m.imageSize() + " px), its token-mixing MLP is sized for the token count");
        }
        return side;
    }

    /** Tokens the blocks see for images of {@code side}×{@code side} patches. */
    static int tokens(ModelSpec m, int side) {
        return side * side + (m.hasClassToken() ? 1 : 0);
    }

    /** The position embedding [1, T, D] on a {@code side}² grid: [T', D] (the parameter itself when the grid is its own). */
    static INDArray forward(ModelSpec m, INDArray pos, int side) {
        int own = m.imageSize() / m.patch();
        INDArray rows = pos.reshape('c', m.tokens(), m.dim());
        if (side == own) {
            return rows;
        }
        int cls = m.hasClassToken() ? 1 : 0;
        INDArray out = Nd4j.create(rows.dataType(), tokens(m, side), m.dim());
        if (cls == 1) {
            out.getRow(0).assign(rows.getRow(0));
        }
        out.get(NDArrayIndex.interval(cls, cls + side * side), NDArrayIndex.all())
                .assign(operator(own, side, rows).mmul(rows.get(NDArrayIndex.interval(cls, m.tokens()), NDArrayIndex.all())));
        return out;
    }

    /** d loss / d position embedding [T, D] of the spec's grid from the gradient [T', D] on a {@code side}² grid. */
    static INDArray backward(ModelSpec m, INDArray dPos, int side) {
        int own = m.imageSize() / m.patch();
        if (side == own) {
            return dPos;
        }
        int cls = m.hasClassToken() ? 1 : 0;
        INDArray out = Nd4j.create(dPos.dataType(), m.tokens(), m.dim());
        if (cls == 1) {
            out.getRow(0).assign(dPos.getRow(0));
        }
        INDArray patches = dPos.get(NDArrayIndex.interval(cls, cls + side * side), NDArrayIndex.all());
        out.get(NDArrayIndex.interval(cls, m.tokens()), NDArrayIndex.all())
                .assign(operator(own, side, dPos).transpose().mmul(patches));
        return out;
    }

    private static INDArray operator(int own, int side, INDArray like) {
        return OPERATORS.computeIfAbsent(own + ">" + side + ":" + like.dataType(), k -> {
            // Outside any ND4J workspace: the cached operator outlives the step whose workspace may be current.
            try (MemoryWorkspace w = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                return Bicubic.grid(own, own, side, side, like.dataType());
            }
        });
    }
}
