package org.vitspark.model.ops;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Non-overlapping p×p patches of NCHW images as rows, each flattened (c, ky, kx) so that a Linear with
 * weight [D, C·p·p] equals PyTorch's Conv2d(C, D, p, stride p) with weight [D, C, p, p].
 */
public final class Patches {

    private Patches() {
    }

    /** [B, C, H, W] → [B·(H/p)·(W/p), C·p·p], patches in row-major order. */
    public static INDArray extract(INDArray images, int patch) {
        long b = images.size(0);
        long c = images.size(1);
        long hp = images.size(2) / patch;
        long wp = images.size(3) / patch;
        return Arena.copyOf(images.reshape('c', b, c, hp, patch, wp, patch).permute(0, 2, 4, 1, 3, 5))
                .reshape('c', b * hp * wp, c * patch * patch);
    }

    /** The adjoint of {@link #extract}: patch rows back to [B, C, H, W]. */
    public static INDArray assemble(INDArray rows, long batch, long channels, long height, long width, int patch) {
        long hp = height / patch;
        long wp = width / patch;
        return rows.reshape('c', batch, hp, wp, channels, patch, patch).permute(0, 3, 1, 4, 2, 5).dup('c')
                .reshape('c', batch, channels, height, width);
    }
}
