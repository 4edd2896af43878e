package org.vitspark.model.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** y = x·Wᵀ + b over rows, W stored [out, in] as in PyTorch. */
public final class Linear {

    private Linear() {
    }

    /** x [n, in], w [out, in], b [out] or null → y [n, out]. */
    public static INDArray forward(INDArray x, INDArray w, INDArray b) {
        INDArray y = Nd4j.createUninitialized(x.dataType(), x.size(0), w.size(0));
        Nd4j.gemm(x, w, y, false, true, 1.0, 0.0);
        if (b != null) {
            y.addiRowVector(b);
        }
        return y;
    }

    /**
     * Writes dW = dyᵀ·x and db = Σ dy into the gradient views and returns dx = dy·W (or null when the
     * input needs no gradient).
     */
    public static INDArray backward(INDArray dy, INDArray x, INDArray w, INDArray dw, INDArray db, boolean needDx) {
        Nd4j.gemm(dy, x, dw, true, false, 1.0, 0.0);
        if (db != null) {
            db.assign(dy.sum(0));
        }
        if (!needDx) {
            return null;
        }
        INDArray dx = Nd4j.createUninitialized(dy.dataType(), dy.size(0), w.size(1));
        Nd4j.gemm(dy, w, dx, false, false, 1.0, 0.0);
        return dx;
    }
}
